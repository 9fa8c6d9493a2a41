export interface SopStep {
  id: string;
  title: string;
}

export type StepCompletion =
  | { kind: 'unknown-step' }
  | { kind: 'already-done' }
  | { kind: 'in-order' }
  /** Earlier steps were left undone: a deviation, recorded and shown to supervisors. */
  | { kind: 'out-of-order'; skipped: string[] };

/** What completing `stepId` means against the checklist, given the steps already done. */
export function stepCompletion(
  steps: readonly SopStep[],
  done: ReadonlySet<string>,
  stepId: string,
): StepCompletion {
  const index = steps.findIndex((step) => step.id === stepId);
  if (index < 0) return { kind: 'unknown-step' };
  if (done.has(stepId)) return { kind: 'already-done' };
  const skipped = steps
    .slice(0, index)
    .filter((step) => !done.has(step.id))
    .map((step) => step.id);
  return skipped.length > 0 ? { kind: 'out-of-order', skipped } : { kind: 'in-order' };
}

/** Steps never done by the time the incident is resolved: each is a skipped-step deviation. */
export function skippedSteps(steps: readonly SopStep[], done: ReadonlySet<string>): string[] {
  return steps.filter((step) => !done.has(step.id)).map((step) => step.id);
}
