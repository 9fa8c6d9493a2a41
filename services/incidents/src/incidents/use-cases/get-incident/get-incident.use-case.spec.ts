import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import {
  aFaceMatchIncident,
  anOpenTheft,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { GetIncidentUseCase } from './get-incident.use-case';

describe('GetIncidentUseCase', () => {
  let h: UseCaseHarness;
  let theft: string;
  const get = (actor = h.person('operator'), id = theft) =>
    h.get(GetIncidentUseCase).execute({ actor, id, purpose: 'incident handling' });

  beforeAll(async () => {
    h = await startUseCaseHarness('ucgetinc');
    theft = (await anOpenTheft(h, h.person('operator', ['ALA'], 'op-get'))).id;
  });
  afterAll(() => h.close());

  it('gives the incident with its evidence, history and confirmations to a reader of its region', async () => {
    const detail = await get();
    expect(detail.incident).toMatchObject({ id: theft, regionCode: 'ALA' });
    expect(detail.sources).toHaveLength(1);
    expect(detail.history).toEqual([]);
    expect(detail.confirmations).toEqual([]);
  });

  it('answers another region, and a kind of incident the reader’s roles may not see, as missing', async () => {
    await expect(get(h.person('operator', ['AST']))).rejects.toEqual(
      new NotFoundError(`incident ${theft} not found`),
    );
    // Region admins see only their cameras' outages.
    await expect(get(h.person('region-admin'))).rejects.toBeInstanceOf(NotFoundError);
  });

  it('audits the read of a face-match incident with the purpose, and keeps it from analysts', async () => {
    const face = await aFaceMatchIncident(h);
    const reader = h.person('operator', ['ALA'], 'op-reads-face');
    await h.get(GetIncidentUseCase).execute({ actor: reader, id: face, purpose: 'case 42' });
    const audit = await h.query(
      `SELECT action, purpose, legal_basis AS "legalBasis" FROM audit_log WHERE object_id = $1 AND actor_subject = $2`,
      [face, 'op-reads-face'],
    );
    expect(audit).toEqual([{ action: 'read', purpose: 'case 42', legalBasis: 'order 12' }]);
    await expect(get(h.person('analyst'), face)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('is refused to roles that read no incidents', async () => {
    await expect(get(h.person('social-worker'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
