import { incidents as contract } from '@safecity/contracts';
import { OperationRefusedException } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import { eventually } from '@safecity/testing';
import { anOpenTheft, startUseCaseHarness, type UseCaseHarness } from '../../../../test/use-case-harness';

describe('OpenIncidentUseCase', () => {
  let h: UseCaseHarness;
  beforeAll(async () => {
    h = await startUseCaseHarness('ucopeninc');
  });
  afterAll(() => h.close());

  it('opens the incident with the operator as its source, announces it and audits who opened it', async () => {
    const operator = h.person('operator', ['ALA'], 'op-open');
    const incident = await anOpenTheft(h, operator, 'Phone snatched');
    expect(incident).toMatchObject({
      regionCode: 'ALA',
      category: 'theft',
      state: 'new',
      sourceKind: 'operator',
      title: 'Phone snatched',
      version: 1,
      sourceCount: 1,
    });
    expect(incident.sla.verifyDueAt).not.toBeNull();
    const [created] = await eventually(() => {
      const changes = h.changesOf(incident.id);
      return changes.length > 0 ? changes : undefined;
    });
    expect(created.kind).toBe(contract.IncidentChangeKind.INCIDENT_CHANGE_KIND_CREATED);
    expect(created.actor?.id).toBe('op-open');
    const audit = await h.query(`SELECT action, actor_subject FROM audit_log WHERE object_id = $1`, [
      incident.id,
    ]);
    expect(audit).toEqual([{ action: 'create', actor_subject: 'op-open' }]);
  });

  it('refuses a region outside the operator’s regions as invalid, naming regionCode', async () => {
    const opening = anOpenTheft(h, h.person('operator'), 'Elsewhere', 'AST');
    await expect(opening).rejects.toBeInstanceOf(InvalidError);
    await expect(opening).rejects.toMatchObject({ problems: [{ field: 'regionCode' }] });
  });

  it('is refused to roles not on shift', async () => {
    await expect(anOpenTheft(h, h.person('analyst'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
