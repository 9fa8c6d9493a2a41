import { Injectable } from '@nestjs/common';
import { AuditLog, RegionAccess, type Principal, type RegionScope } from '@safecity/security';
import { InvalidError, NotFoundError } from '@safecity/service-kit';
import type { EntityManager } from 'typeorm';
import { regionsOf } from '../watchlists/watchlist-changes';
import type { BehaviourRule } from './behaviour-rule';
import { BehaviourRulesRepository, type RuleValues } from './behaviour-rules.repository';

/** Kazakhstan keeps one time zone (UTC+5) since March 2024. */
export const DEFAULT_TIME_ZONE = 'Asia/Almaty';

/**
 * What the operations on behaviour rules share: the transaction scoped to the caller's regions,
 * the rule looked up within it, the checks of a rule's values, and the audit record of a change.
 */
@Injectable()
export class BehaviourRuleChanges {
  constructor(
    private readonly rules: BehaviourRulesRepository,
    private readonly access: RegionAccess,
    private readonly audit: AuditLog,
  ) {}

  inScope<T>(scope: RegionScope, work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.access.run(scope, work);
  }

  /** The rule, unless it does not exist or lies outside the scope (answered alike). */
  async ruleOf(m: EntityManager, scope: RegionScope, id: string): Promise<BehaviourRule> {
    const rule = await this.rules.find(m, regionsOf(scope), id);
    if (!rule) throw new NotFoundError(`behaviour rule ${id} not found`);
    return rule;
  }

  record(
    m: EntityManager,
    actor: Principal,
    action: 'create' | 'update',
    rule: BehaviourRule,
    details: Record<string, unknown> = {},
  ) {
    return this.audit.record(m, {
      actor,
      action,
      objectType: 'behaviour-rule',
      objectId: rule.id,
      regionCode: rule.regionCode,
      purpose: 'alert rule administration',
      details: { cameraId: rule.cameraId, behaviour: rule.behaviour, ...details },
    });
  }
}

/** A rule's values as given, checked: a known time zone, schedule windows that are not empty. */
export function checkedRuleValues(values: RuleValues): RuleValues {
  try {
    new Intl.DateTimeFormat('en', { timeZone: values.timeZone });
  } catch {
    throw new InvalidError({ field: 'timeZone', reason: `unknown time zone ${values.timeZone}` });
  }
  values.schedule.forEach((w, i) => {
    if (w.from === w.to)
      throw new InvalidError({ field: `schedule.${i}.to`, reason: 'must differ from from' });
  });
  return values;
}
