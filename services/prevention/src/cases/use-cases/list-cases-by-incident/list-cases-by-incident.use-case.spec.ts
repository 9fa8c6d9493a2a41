import { OperationRefusedException } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import { PUBLIC_ORDER } from '../../../../test/incidents';
import {
  aPlaceCase,
  anOfficer,
  incidentsHappened,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { ListCasesByIncidentUseCase } from './list-cases-by-incident.use-case';

describe('ListCasesByIncidentUseCase', () => {
  let h: UseCaseHarness;
  let caseId: string;
  let incidentId: string;

  beforeAll(async () => {
    h = await startUseCaseHarness('uccasesbyincident');
    caseId = (await aPlaceCase(h, anOfficer(h))).id;
    [incidentId] = await incidentsHappened(h, { category: PUBLIC_ORDER, address: 'мкр Самал-2, 58' });
  });
  afterAll(() => h.close());

  it('finds the cases an incident joined and records each read with the purpose', async () => {
    const service = h.person('service', 'all');
    const found = await h
      .get(ListCasesByIncidentUseCase)
      .execute({ actor: service, incidentId, purpose: 'incident card' });
    expect(found.map((d) => d.row.id)).toEqual([caseId]);
    expect(found[0].linkedIncidentIds).toEqual([incidentId]);
    expect(
      await h.query(`SELECT object_id, purpose FROM audit_log WHERE actor_subject = $1`, [service.subject]),
    ).toEqual([{ object_id: caseId, purpose: 'incident card' }]);
    const astana = await h.get(ListCasesByIncidentUseCase).execute({
      actor: anOfficer(h, ['AST']),
      incidentId,
      purpose: 'incident card',
    });
    expect(astana).toEqual([]);
  });

  it('refuses a read without a purpose, and analysts', async () => {
    await expect(
      h.get(ListCasesByIncidentUseCase).execute({ actor: anOfficer(h), incidentId, purpose: '' }),
    ).rejects.toBeInstanceOf(InvalidError);
    await expect(
      h
        .get(ListCasesByIncidentUseCase)
        .execute({ actor: h.person('analyst'), incidentId, purpose: 'incident card' }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
