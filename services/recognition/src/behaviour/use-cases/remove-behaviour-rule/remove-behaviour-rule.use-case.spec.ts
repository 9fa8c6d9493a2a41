import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import {
  aBehaviourRule,
  aDirectoryCamera,
  auditOf,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { RemoveBehaviourRuleUseCase } from './remove-behaviour-rule.use-case';

describe('RemoveBehaviourRuleUseCase', () => {
  let h: UseCaseHarness;
  beforeAll(async () => (h = await startUseCaseHarness('ucrmrl')));
  afterAll(() => h.close());

  it('deletes the rule and audits the deletion; a second removal finds nothing', async () => {
    const actor = h.person('region-admin');
    const { id } = await aBehaviourRule(h, actor, (await aDirectoryCamera(h)).id);
    await h.get(RemoveBehaviourRuleUseCase).execute({ actor, id });
    expect(await h.query(`SELECT id FROM behaviour_rules WHERE id = $1`, [id])).toEqual([]);
    expect((await auditOf(h, id)).pop()).toMatchObject({ action: 'update', details: { deleted: true } });
    await expect(h.get(RemoveBehaviourRuleUseCase).execute({ actor, id })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('refuses another region’s keepers and operators', async () => {
    const { id } = await aBehaviourRule(h, h.person('region-admin'), (await aDirectoryCamera(h)).id);
    await expect(
      h.get(RemoveBehaviourRuleUseCase).execute({ actor: h.person('region-admin', ['AST']), id }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      h.get(RemoveBehaviourRuleUseCase).execute({ actor: h.person('operator'), id }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
