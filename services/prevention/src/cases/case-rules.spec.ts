import { assessmentProblem, indicatedRiskLevel, isMeasureOverdue, transitionProblem } from './case-rules';

describe('case lifecycle', () => {
  it('moves open → active → monitoring → closed, and back to active on recurrence', () => {
    expect(transitionProblem('open', 'active', { riskLevel: 'high' })).toBeNull();
    expect(transitionProblem('active', 'monitoring', { riskLevel: 'high' })).toBeNull();
    expect(transitionProblem('monitoring', 'active', { riskLevel: 'high' })).toBeNull();
    expect(
      transitionProblem('monitoring', 'closed', { riskLevel: 'high', outcome: 'risk-resolved' }),
    ).toBeNull();
  });

  it('refuses skipping back, reopening, activating without a risk level, closing without outcome', () => {
    expect(transitionProblem('active', 'open', { riskLevel: 'low' })?.field).toBe('status');
    expect(transitionProblem('closed', 'active', { riskLevel: 'low' })?.reason).toMatch(/closed case/);
    expect(transitionProblem('open', 'active', { riskLevel: null })?.reason).toMatch(/risk level/);
    expect(transitionProblem('active', 'closed', { riskLevel: 'low' })?.field).toBe('outcome');
    expect(transitionProblem('open', 'active', { riskLevel: 'low', outcome: 'other' })?.field).toBe(
      'outcome',
    );
  });
});

describe('risk assessment', () => {
  it('indicates the highest level among the factors', () => {
    expect(indicatedRiskLevel(['school-absence'])).toBe('low');
    expect(indicatedRiskLevel(['alcohol-abuse', 'weapon-access', 'school-absence'])).toBe('high');
    expect(indicatedRiskLevel([])).toBeNull();
  });

  it('accepts the indicated level, and another one only with a rationale', () => {
    expect(assessmentProblem({ factors: ['weapon-access'], riskLevel: 'high' })).toBeNull();
    expect(assessmentProblem({ factors: ['weapon-access'], riskLevel: 'medium' })?.field).toBe('rationale');
    expect(
      assessmentProblem({ factors: ['weapon-access'], riskLevel: 'medium', rationale: 'weapon surrendered' }),
    ).toBeNull();
  });

  it('refuses factors outside the catalogue, duplicates and an empty list', () => {
    expect(assessmentProblem({ factors: ['bad-vibes'], riskLevel: 'low' })?.reason).toMatch(/catalogue/);
    expect(assessmentProblem({ factors: ['drug-use', 'drug-use'], riskLevel: 'medium' })?.reason).toMatch(
      /once/,
    );
    expect(assessmentProblem({ factors: [], riskLevel: 'low' })?.field).toBe('factors');
  });
});

describe('overdue measures', () => {
  const now = new Date('2026-03-10T12:00:00Z');
  it('are planned or in progress with a due date in the past', () => {
    expect(isMeasureOverdue({ status: 'planned', dueAt: new Date('2026-03-10T11:59:59Z') }, now)).toBe(true);
    expect(isMeasureOverdue({ status: 'in-progress', dueAt: new Date('2026-03-09T00:00:00Z') }, now)).toBe(
      true,
    );
    expect(isMeasureOverdue({ status: 'planned', dueAt: new Date('2026-03-10T12:00:01Z') }, now)).toBe(false);
    expect(isMeasureOverdue({ status: 'done', dueAt: new Date('2026-03-01T00:00:00Z') }, now)).toBe(false);
    expect(isMeasureOverdue({ status: 'cancelled', dueAt: new Date('2026-03-01T00:00:00Z') }, now)).toBe(
      false,
    );
  });
});
