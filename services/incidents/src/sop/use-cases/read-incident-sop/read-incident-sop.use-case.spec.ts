import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { anOpenTheft, startUseCaseHarness, type UseCaseHarness } from '../../../../test/use-case-harness';
import { CompleteSopStepUseCase } from '../complete-sop-step/complete-sop-step.use-case';
import { PublishNationalSopUseCase } from '../publish-national-sop/publish-national-sop.use-case';
import { ReadIncidentSopUseCase } from './read-incident-sop.use-case';

describe('ReadIncidentSopUseCase', () => {
  let h: UseCaseHarness;
  const read = (incidentId: string, actor = h.person('operator')) =>
    h.get(ReadIncidentSopUseCase).execute({ actor, incidentId });

  beforeAll(async () => {
    h = await startUseCaseHarness('ucreadincsop');
  });
  afterAll(() => h.close());

  it('has no checklist for an incident opened before its category had one', async () => {
    const incident = await anOpenTheft(h, h.person('operator'));
    expect(await read(incident.id)).toEqual({ sop: null, steps: [], deviations: [] });
  });

  it('shows the checklist in force when the incident opened, what is done and the deviations', async () => {
    const sop = await h.get(PublishNationalSopUseCase).execute({
      actor: h.person('admin', 'all'),
      category: 'theft',
      checklist: {
        steps: [
          { id: 'call', title: 'Call back' },
          { id: 'send', title: 'Send a patrol' },
        ],
      },
    });
    const incident = await anOpenTheft(h, h.person('operator'));
    await h.get(CompleteSopStepUseCase).execute({
      actor: h.person('operator', ['ALA'], 'op-sop'),
      incidentId: incident.id,
      stepId: 'send',
      note: 'patrol 7',
    });
    const progress = await read(incident.id);
    expect(progress.sop).toEqual({ id: sop.id, version: 1 });
    expect(progress.steps.map((s) => [s.id, s.done?.by ?? null])).toEqual([
      ['call', null],
      ['send', 'op-sop'],
    ]);
    expect(progress.deviations).toMatchObject([{ stepId: 'send', kind: 'out-of-order', actor: 'op-sop' }]);
  });

  it('answers another region’s incident as missing, and is refused to roles without checklists', async () => {
    const incident = await anOpenTheft(h, h.person('operator'));
    await expect(read(incident.id, h.person('operator', ['AST']))).rejects.toBeInstanceOf(NotFoundError);
    await expect(read(incident.id, h.person('auditor'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
