import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLATFORM_METRICS } from './metrics';

const DEPLOY = join(__dirname, '../../../deploy/prometheus');
/** Labels Prometheus itself adds to every scraped series, and the registry's own. */
const SCRAPE_LABELS = ['job', 'instance', 'service'];
/** PromQL words that look like label names inside `by (…)` or `{…}` but are not. */
const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

interface Rule {
  alert: string;
  expr: string;
}

/**
 * The rules as written: one `- alert:` and one single-line `expr:` each (the file keeps to that
 * form so this check can read it without a YAML library).
 */
function alertRules(): Rule[] {
  const text = readFileSync(join(DEPLOY, 'alerts.yml'), 'utf8');
  const rules: Rule[] = [];
  let alert: string | undefined;
  for (const line of text.split('\n')) {
    const name = /^\s*- alert:\s*(\S+)\s*$/.exec(line)?.[1];
    if (name) alert = name;
    const expr = /^\s*expr:\s*(.*)$/.exec(line)?.[1];
    if (expr !== undefined) {
      if (!alert) throw new Error(`expr without an alert: ${line}`);
      if (/^[>|]/.test(expr.trim())) throw new Error(`${alert}: keep expr on one line`);
      rules.push({ alert, expr: expr.trim() });
      alert = undefined;
    }
  }
  return rules;
}

describe('deploy/prometheus/alerts.yml', () => {
  const rules = alertRules();

  it('has the alerts operations rely on', () => {
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'EventsDeadLettered',
        'ConsumerLagHigh',
        'OutboxNotDraining',
        'IncidentSlaBreached',
        'ConsumerWaitingForDependency',
      ]),
    );
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
  });

  it.each(alertRules().map((r) => [r.alert, r.expr]))(
    '%s names only metrics and labels the services export',
    (_alert, expr) => {
      const metrics = [...expr.matchAll(/\b(safecity_[a-z0-9_]+)\b/g)].map((m) => m[1]);
      expect(metrics.length).toBeGreaterThan(0);
      const known = PLATFORM_METRICS as Record<string, { labelNames: readonly string[] }>;
      for (const metric of metrics) {
        expect(Object.keys(known)).toContain(metric);
      }
      const labels = new Set([...SCRAPE_LABELS, ...metrics.flatMap((m) => known[m].labelNames)]);
      const used = [
        ...[...expr.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)].flatMap((m) => m[1].split(',')),
        ...[...expr.matchAll(/\{([^}]*)\}/g)].flatMap((m) =>
          m[1].split(',').map((matcher) => matcher.split(/[=!~]/)[0]),
        ),
      ]
        .map((label) => label.trim())
        .filter((label) => label && !PROMQL_WORDS.has(label));
      for (const label of used) expect([...labels]).toContain(label);
    },
  );

  it('is loaded by the Prometheus configuration', () => {
    const config = readFileSync(join(DEPLOY, 'prometheus.yml'), 'utf8');
    expect(config).toMatch(/^rule_files:\n\s+- alerts\.yml$/m);
  });
});
