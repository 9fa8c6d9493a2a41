import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { BehaviourRuleChanges } from '../../behaviour-rule-changes';
import { BehaviourRulesRepository } from '../../behaviour-rules.repository';
import type { RemoveBehaviourRule } from './remove-behaviour-rule.command';

/** Deletes an alert rule; the alerts it raised stay under their own retention. */
@Injectable()
export class RemoveBehaviourRuleUseCase extends UseCaseHandler<RemoveBehaviourRule, void> {
  constructor(
    private readonly rules: BehaviourRulesRepository,
    private readonly changes: BehaviourRuleChanges,
  ) {
    super();
  }

  @UseCase(P.keepBehaviourRules)
  async execute({ actor, id }: RemoveBehaviourRule): Promise<void> {
    const scope = RegionScope.of(actor);
    await this.changes.inScope(scope, async (m) => {
      const rule = await this.changes.ruleOf(m, scope, id);
      await this.rules.delete(m, id);
      await this.changes.record(m, actor, 'update', rule, { deleted: true });
    });
  }
}
