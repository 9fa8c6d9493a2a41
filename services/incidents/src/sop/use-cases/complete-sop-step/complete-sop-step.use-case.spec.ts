import { incidents as contract } from '@safecity/contracts';
import { OperationRefusedException } from '@safecity/security';
import { ConflictError, InvalidError, NotFoundError } from '@safecity/service-kit';
import { eventually } from '@safecity/testing';
import { anOpenTheft, startUseCaseHarness, type UseCaseHarness } from '../../../../test/use-case-harness';
import { PublishNationalSopUseCase } from '../publish-national-sop/publish-national-sop.use-case';
import { CompleteSopStepUseCase } from './complete-sop-step.use-case';

describe('CompleteSopStepUseCase', () => {
  let h: UseCaseHarness;
  let bare: string;
  const complete = (incidentId: string, stepId: string, actor = h.person('operator')) =>
    h.get(CompleteSopStepUseCase).execute({ actor, incidentId, stepId, note: '' });

  beforeAll(async () => {
    h = await startUseCaseHarness('uccompletesop');
    bare = (await anOpenTheft(h, h.person('operator'))).id;
    await h.get(PublishNationalSopUseCase).execute({
      actor: h.person('admin', 'all'),
      category: 'theft',
      checklist: {
        steps: [
          { id: 'call', title: 'Call back' },
          { id: 'send', title: 'Send a patrol' },
        ],
      },
    });
  });
  afterAll(() => h.close());

  it('records the step in order without a deviation, and announces a new version of the incident', async () => {
    const incident = await anOpenTheft(h, h.person('operator'));
    expect(await complete(incident.id, 'call')).toEqual({ stepId: 'call', deviation: null });
    const changes = await eventually(() => {
      const all = h.changesOf(incident.id);
      return all.length === 2 ? all : undefined;
    });
    expect(changes[1]).toMatchObject({
      kind: contract.IncidentChangeKind.INCIDENT_CHANGE_KIND_UPDATED,
      reason: 'SOP step call done',
    });
  });

  it('records a step out of order as a deviation naming what was skipped', async () => {
    const incident = await anOpenTheft(h, h.person('operator'));
    expect(await complete(incident.id, 'send')).toEqual({ stepId: 'send', deviation: { skipped: ['call'] } });
  });

  it('refuses a step done twice, an unknown step, and an incident without a checklist', async () => {
    const incident = await anOpenTheft(h, h.person('operator'));
    await complete(incident.id, 'call');
    await expect(complete(incident.id, 'call')).rejects.toBeInstanceOf(ConflictError);
    await expect(complete(incident.id, 'dance')).rejects.toBeInstanceOf(NotFoundError);
    await expect(complete(bare, 'call')).rejects.toBeInstanceOf(InvalidError);
  });

  it('is refused to roles not on shift', async () => {
    await expect(complete(bare, 'call', h.person('analyst'))).rejects.toBeInstanceOf(
      OperationRefusedException,
    );
  });
});
