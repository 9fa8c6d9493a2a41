import { OperationRefusedException } from '@safecity/security';
import { InvalidError, NotFoundError } from '@safecity/service-kit';
import {
  aBehaviourRule,
  aDirectoryCamera,
  auditOf,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { UpdateBehaviourRuleUseCase } from './update-behaviour-rule.use-case';

describe('UpdateBehaviourRuleUseCase', () => {
  let h: UseCaseHarness;
  let id: string;
  beforeAll(async () => {
    h = await startUseCaseHarness('ucupdrl');
    id = (await aBehaviourRule(h, h.person('supervisor'), (await aDirectoryCamera(h)).id)).id;
  });
  afterAll(() => h.close());

  it('changes the given fields, keeps the behaviour, and audits the fields changed', async () => {
    const updated = await h
      .get(UpdateBehaviourRuleUseCase)
      .execute({ actor: h.person('supervisor'), id, fields: { enabled: false, severity: 'critical' } });
    expect(updated).toMatchObject({
      behaviour: 'fight',
      enabled: false,
      severity: 'critical',
      minConfidence: 0.7,
    });
    expect((await auditOf(h, id)).pop()).toMatchObject({
      action: 'update',
      details: { fields: ['enabled', 'severity'] },
    });
  });

  it('refuses an unknown time zone, another region’s rule and operators', async () => {
    const update = (actor: ReturnType<UseCaseHarness['person']>, fields = {}) =>
      h.get(UpdateBehaviourRuleUseCase).execute({ actor, id, fields });
    await expect(update(h.person('supervisor'), { timeZone: 'Nowhere/City' })).rejects.toBeInstanceOf(
      InvalidError,
    );
    await expect(update(h.person('supervisor', ['AST']))).rejects.toBeInstanceOf(NotFoundError);
    await expect(update(h.person('operator'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
