import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import type { BehaviourRule } from '../../behaviour-rule';
import { BehaviourRuleChanges, checkedRuleValues } from '../../behaviour-rule-changes';
import { BehaviourRulesRepository } from '../../behaviour-rules.repository';
import type { UpdateBehaviourRule } from './update-behaviour-rule.command';

/** A rule's confidence, schedule, time zone, zone, severity or switch; its behaviour stays. */
@Injectable()
export class UpdateBehaviourRuleUseCase extends UseCaseHandler<UpdateBehaviourRule, BehaviourRule> {
  constructor(
    private readonly rules: BehaviourRulesRepository,
    private readonly changes: BehaviourRuleChanges,
  ) {
    super();
  }

  @UseCase(P.keepBehaviourRules)
  async execute({ actor, id, fields }: UpdateBehaviourRule): Promise<BehaviourRule> {
    const scope = RegionScope.of(actor);
    return this.changes.inScope(scope, async (m) => {
      const rule = await this.changes.ruleOf(m, scope, id);
      const values = checkedRuleValues({
        behaviour: rule.behaviour,
        minConfidence: fields.minConfidence ?? rule.minConfidence,
        schedule: fields.schedule ?? rule.schedule,
        timeZone: fields.timeZone ?? rule.timeZone,
        zone: fields.zone ?? rule.zone,
        severity: fields.severity ?? rule.severity,
        enabled: fields.enabled ?? rule.enabled,
      });
      const updated = await this.rules.update(m, id, values);
      await this.changes.record(m, actor, 'update', updated, { fields: Object.keys(fields) });
      return updated;
    });
  }
}
