import { OperationRefusedException } from '@safecity/security';
import {
  aBehaviourRule,
  aDirectoryCamera,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { ListCameraBehaviourRulesUseCase } from './list-camera-behaviour-rules.use-case';

describe('ListCameraBehaviourRulesUseCase', () => {
  let h: UseCaseHarness;
  beforeAll(async () => (h = await startUseCaseHarness('uclstrl')));
  afterAll(() => h.close());

  it('lists a camera’s rules to its region’s operators, and none to another region', async () => {
    const camera = await aDirectoryCamera(h);
    const rule = await aBehaviourRule(h, h.person('supervisor'), camera.id);
    const list = (actor: ReturnType<UseCaseHarness['person']>) =>
      h.get(ListCameraBehaviourRulesUseCase).execute({ actor, cameraId: camera.id });
    expect((await list(h.person('operator'))).map((r) => r.id)).toEqual([rule.id]);
    expect(await list(h.person('operator', ['AST']))).toEqual([]);
    await expect(list(h.person('analyst'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
