import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/** Statement texts named so far; a fixed set in practice, bounded in case a caller's text varies. */
const names = new Map<string, string>();
const MAX_NAMED = 500;

/** The name a statement text is prepared under: the same text always gets the same name. */
export function statementName(sql: string): string {
  const known = names.get(sql);
  if (known !== undefined) return known;
  const name = `s_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
  if (names.size < MAX_NAMED) names.set(sql, name);
  return name;
}

/**
 * Runs `sql` as a named prepared statement of the connection the manager holds: PostgreSQL parses
 * it once per connection and, after five custom plans, plans it no more when its generic plan is
 * estimated to cost no more than those (`plan_cache_mode` left at `auto`: forcing generic plans
 * would reach every parameterized statement, named or not). An unnamed statement is parsed and
 * planned on every call. For the statements a service runs many times a second; their text must
 * not embed values (each distinct text stays prepared on every connection of the pool until it
 * closes). Errors and results are those of `EntityManager.query`.
 */
export function preparedQuery<T = unknown>(m: EntityManager, sql: string, params: unknown[]): Promise<T> {
  // node-postgres takes a query config where TypeORM passes the text through unchanged.
  return m.query({ name: statementName(sql), text: sql } as unknown as string, params) as Promise<T>;
}
