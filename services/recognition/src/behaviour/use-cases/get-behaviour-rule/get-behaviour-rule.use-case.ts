import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import type { BehaviourRule } from '../../behaviour-rule';
import { BehaviourRuleChanges } from '../../behaviour-rule-changes';
import type { GetBehaviourRule } from './get-behaviour-rule.command';

/** One alert rule; another region's is not found, like a missing one. */
@Injectable()
export class GetBehaviourRuleUseCase extends UseCaseHandler<GetBehaviourRule, BehaviourRule> {
  constructor(private readonly changes: BehaviourRuleChanges) {
    super();
  }

  @UseCase(P.readBehaviourRules)
  async execute({ actor, id }: GetBehaviourRule): Promise<BehaviourRule> {
    const scope = RegionScope.of(actor);
    return this.changes.inScope(scope, (m) => this.changes.ruleOf(m, scope, id));
  }
}
