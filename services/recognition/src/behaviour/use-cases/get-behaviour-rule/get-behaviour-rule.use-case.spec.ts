import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import {
  aBehaviourRule,
  aDirectoryCamera,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { GetBehaviourRuleUseCase } from './get-behaviour-rule.use-case';

describe('GetBehaviourRuleUseCase', () => {
  let h: UseCaseHarness;
  beforeAll(async () => (h = await startUseCaseHarness('ucgetrl')));
  afterAll(() => h.close());

  it('gives the rule to its region, and answers another region like a missing rule', async () => {
    const camera = await aDirectoryCamera(h);
    const { id } = await aBehaviourRule(h, h.person('region-admin'), camera.id);
    const get = (actor: ReturnType<UseCaseHarness['person']>) =>
      h.get(GetBehaviourRuleUseCase).execute({ actor, id });
    expect(await get(h.person('operator'))).toMatchObject({ id, behaviour: 'fight', cameraId: camera.id });
    await expect(get(h.person('operator', ['AST']))).rejects.toEqual(
      new NotFoundError(`behaviour rule ${id} not found`),
    );
    await expect(get(h.person('social-worker'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
