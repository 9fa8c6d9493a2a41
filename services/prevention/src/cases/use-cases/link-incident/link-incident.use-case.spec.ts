import { EventTypes } from '@safecity/contracts';
import { OperationRefusedException } from '@safecity/security';
import { ConflictError, InvalidError } from '@safecity/service-kit';
import {
  aPersonCase,
  anOfficer,
  eventTypesOf,
  incidentsHappened,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { LinkIncidentUseCase } from './link-incident.use-case';

describe('LinkIncidentUseCase', () => {
  let h: UseCaseHarness;

  beforeAll(async () => {
    h = await startUseCaseHarness('uclinkincident');
  });
  afterAll(() => h.close());

  it('links an incident of the case’s region, flags a review, announces and audits it', async () => {
    const officer = anOfficer(h);
    const opened = await aPersonCase(h, officer);
    const [incidentId] = await incidentsHappened(h, { address: 'пр. Достык, 5' });
    const linked = await h.get(LinkIncidentUseCase).execute({
      actor: officer,
      id: opened.id,
      link: { incidentId, note: 'she was seen there' },
    });
    expect(linked.linkedIncidentIds).toEqual([incidentId]);
    expect(linked.reviewFlag).toEqual({
      at: expect.any(Date),
      reason: `incident ${incidentId} involved the case's subject`,
    });
    expect(await eventTypesOf(h, opened.id, 2)).toEqual([
      EventTypes.PreventionCaseOpened,
      EventTypes.PreventionCaseUpdated,
    ]);
    expect(
      await h.query(`SELECT action FROM audit_log WHERE object_id = $1 AND action = 'update'`, [opened.id]),
    ).toEqual([{ action: 'update' }]);
    const again = h.get(LinkIncidentUseCase).execute({ actor: officer, id: opened.id, link: { incidentId } });
    await expect(again).rejects.toBeInstanceOf(ConflictError);
    await expect(again).rejects.toMatchObject({ problems: [{ field: 'incidentId' }] });
  });

  it('refuses an incident of another region, and social workers', async () => {
    const officer = anOfficer(h);
    const opened = await aPersonCase(h, officer);
    const [astana] = await incidentsHappened(h, { regionCode: 'AST', districtCode: 'AST-ESIL' });
    await expect(
      h.get(LinkIncidentUseCase).execute({ actor: officer, id: opened.id, link: { incidentId: astana } }),
    ).rejects.toEqual(
      new InvalidError({ field: 'incidentId', reason: `no incident ${astana} in region ALA` }),
    );
    await expect(
      h
        .get(LinkIncidentUseCase)
        .execute({ actor: h.person('social-worker'), id: opened.id, link: { incidentId: astana } }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
