import { recognition } from '@safecity/contracts';
import { OperationRefusedException, RegionAccess, RegionScope } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { randomUUID } from 'node:crypto';
import { startUseCaseHarness, type UseCaseHarness } from '../../../../test/use-case-harness';
import { BehaviourAlertRaiser } from '../../behaviour-alert-raiser';
import { GetBehaviourAlertUseCase } from './get-behaviour-alert.use-case';

describe('GetBehaviourAlertUseCase', () => {
  let h: UseCaseHarness;
  const alert = recognition.BehaviourAlert.fromPartial({
    id: randomUUID(),
    detectionId: randomUUID(),
    ruleId: randomUUID(),
    cameraId: randomUUID(),
    regionCode: 'ALA',
    observedAt: new Date(),
    raisedAt: new Date(),
  });
  beforeAll(async () => {
    h = await startUseCaseHarness('ucgetal');
    await h
      .get(RegionAccess)
      .run(RegionScope.allRegions(), (m) => h.get(BehaviourAlertRaiser).raise(m, alert, 'fight', 'high'));
  });
  afterAll(() => h.close());

  it('gives the alert as it was raised to operations people and services of its region', async () => {
    for (const actor of [h.person('operator'), h.person('service', 'all')]) {
      expect(await h.get(GetBehaviourAlertUseCase).execute({ actor, id: alert.id })).toMatchObject({
        id: alert.id,
        ruleId: alert.ruleId,
        regionCode: 'ALA',
      });
    }
  });

  it('answers another region’s alert like a missing one, and refuses analysts', async () => {
    await expect(
      h.get(GetBehaviourAlertUseCase).execute({ actor: h.person('operator', ['AST']), id: alert.id }),
    ).rejects.toEqual(new NotFoundError(`behaviour alert ${alert.id} not found`));
    await expect(
      h.get(GetBehaviourAlertUseCase).execute({ actor: h.person('analyst'), id: alert.id }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
