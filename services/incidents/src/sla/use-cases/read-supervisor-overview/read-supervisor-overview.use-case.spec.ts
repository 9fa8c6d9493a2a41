import { OperationRefusedException } from '@safecity/security';
import {
  aFaceMatchIncident,
  anOpenTheft,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { SlaMonitor } from '../../sla-monitor';
import { ReadSupervisorOverviewUseCase } from './read-supervisor-overview.use-case';

describe('ReadSupervisorOverviewUseCase', () => {
  let h: UseCaseHarness;
  const read = (actor = h.person('supervisor', ['ALA'], 'sup-watches'), regionCode?: string) =>
    h.get(ReadSupervisorOverviewUseCase).execute({ actor, purpose: 'shift review', regionCode });

  beforeAll(async () => {
    h = await startUseCaseHarness('ucoverview');
  });
  afterAll(() => h.close());

  it('shows the breached incidents and their escalations of the supervisor’s regions, auditing face matches', async () => {
    const theft = await anOpenTheft(h, h.person('operator'));
    const face = await aFaceMatchIncident(h);
    await anOpenTheft(h, h.person('operator', ['AST']), 'far', 'AST');
    // An hour from now every new incident is past its verify deadline.
    expect(await h.get(SlaMonitor).check(new Date(Date.now() + 3_600_000))).toBeGreaterThan(0);
    const overview = await read();
    expect(overview.slaBreaches.map((i) => i.id).sort()).toEqual([theft.id, face].sort());
    expect(overview.escalations.filter((e) => e.incidentId === theft.id).map((e) => e.stage)).toContain(
      'verify',
    );
    expect(overview.escalations.every((e) => e.regionCode === 'ALA')).toBe(true);
    expect(overview.sopDeviations).toEqual([]);
    const audit = await h.query(
      `SELECT object_id AS "id", purpose FROM audit_log WHERE actor_subject = 'sup-watches'`,
    );
    expect(audit).toEqual([{ id: face, purpose: 'shift review' }]);
  });

  it('is refused to operators', async () => {
    await expect(read(h.person('operator'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
