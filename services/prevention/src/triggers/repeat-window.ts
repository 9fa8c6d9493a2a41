/** An incident counted by the repeat rule: when it occurred. */
export interface Occurrence {
  occurredAt: Date;
}

/**
 * The first run of incidents within one window of the rule's length that holds the incident at
 * `at` and counts at least `threshold` of them, oldest first; null when no such window exists.
 * `nearby` are the incidents at the address from one window before `at` to one after, sorted by
 * time. Windows are not only those ending at `at`: an incident verified late may complete a
 * run with incidents that occurred after it.
 */
export function firstFullWindow<T extends Occurrence>(
  nearby: readonly T[],
  at: Date,
  windowMs: number,
  threshold: number,
): T[] | null {
  const time = at.getTime();
  for (const start of nearby) {
    const from = start.occurredAt.getTime();
    if (from > time) break;
    if (from + windowMs < time) continue;
    const run = nearby.filter((i) => {
      const t = i.occurredAt.getTime();
      return t >= from && t <= from + windowMs;
    });
    if (run.length >= threshold) return run;
  }
  return null;
}
