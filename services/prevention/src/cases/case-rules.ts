import {
  RISK_FACTOR_CATALOGUE,
  RISK_LEVELS,
  riskRank,
  type CaseStatus,
  type Outcome,
  type RiskLevel,
} from '../domain/vocabulary';

/** Moves a case may make; CLOSED is final. */
const TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  open: ['active', 'closed'],
  active: ['monitoring', 'closed'],
  // A recurrence while monitoring puts the case back to work.
  monitoring: ['active', 'closed'],
  closed: [],
};

export type TransitionProblem = { field: string; reason: string } | null;

/** Why a case cannot move from `from` to `to` with the given facts, or null when it can. */
export function transitionProblem(
  from: CaseStatus,
  to: CaseStatus,
  facts: { riskLevel: RiskLevel | null; outcome?: Outcome | null },
): TransitionProblem {
  if (!TRANSITIONS[from].includes(to)) {
    return { field: 'status', reason: `a ${from} case cannot become ${to}` };
  }
  if (to === 'active' && !facts.riskLevel) {
    return {
      field: 'status',
      reason: 'a case becomes active only once a professional has set its risk level',
    };
  }
  if (to === 'closed' && !facts.outcome) {
    return { field: 'outcome', reason: 'closing a case needs its outcome' };
  }
  if (to !== 'closed' && facts.outcome) {
    return { field: 'outcome', reason: 'an outcome is given only when closing' };
  }
  return null;
}

export interface RiskAssessmentInput {
  factors: readonly string[];
  riskLevel: RiskLevel;
  rationale?: string | null;
}

/**
 * The level the chosen factors indicate on their own: the highest any of them indicates. It
 * informs the professional; it never sets the case's level.
 */
export function indicatedRiskLevel(factors: readonly string[]): RiskLevel | null {
  let best: RiskLevel | null = null;
  for (const code of factors) {
    const entry = RISK_FACTOR_CATALOGUE[code];
    if (entry && (!best || riskRank(entry.indicates) > riskRank(best))) best = entry.indicates;
  }
  return best;
}

/**
 * Checks a professional's assessment: factors from the catalogue, each once, and a written
 * rationale whenever the chosen level departs from what the factors indicate.
 */
export function assessmentProblem(input: RiskAssessmentInput): TransitionProblem {
  if (input.factors.length === 0) return { field: 'factors', reason: 'at least one risk factor is needed' };
  const unknown = input.factors.find((code) => !RISK_FACTOR_CATALOGUE[code]);
  if (unknown !== undefined)
    return { field: 'factors', reason: `${unknown} is not in the risk factor catalogue` };
  if (new Set(input.factors).size !== input.factors.length) {
    return { field: 'factors', reason: 'each risk factor is listed once' };
  }
  if (!RISK_LEVELS.includes(input.riskLevel)) return { field: 'riskLevel', reason: 'unknown risk level' };
  const indicated = indicatedRiskLevel(input.factors);
  if (indicated !== input.riskLevel && !input.rationale?.trim()) {
    return {
      field: 'rationale',
      reason: `the factors indicate ${indicated}; a different level needs a written rationale`,
    };
  }
  return null;
}

/** A measure is overdue when it is neither done nor cancelled and its due date has passed. */
export function isMeasureOverdue(measure: { status: string; dueAt: Date }, now: Date): boolean {
  return (measure.status === 'planned' || measure.status === 'in-progress') && measure.dueAt < now;
}

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * 86_400_000);
}
