// Schema, table, column and role names are spliced into DDL (PostgreSQL cannot bind identifiers),
// so they are restricted to plain lower-case identifiers and quoted.
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function ident(name: string, what = 'identifier'): string {
  if (!IDENTIFIER.test(name)) {
    throw new RangeError(
      `${what} ${JSON.stringify(name)} must match ${IDENTIFIER} (lower-case SQL identifier)`,
    );
  }
  return `"${name}"`;
}

/** `"schema"."table"` */
export function qualified(schema: string, table: string): string {
  return `${ident(schema, 'schema')}.${ident(table, 'table')}`;
}

/** A quoted string literal, for the places SQL takes no parameters (DO blocks). */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Row count of a DELETE/UPDATE run through TypeORM's `query()` (`[rows, count]`) or pg (`{rowCount}`). */
export function affectedRows(result: unknown): number {
  if (Array.isArray(result) && typeof result[1] === 'number') return result[1];
  if (
    result &&
    typeof result === 'object' &&
    typeof (result as { rowCount?: unknown }).rowCount === 'number'
  ) {
    return (result as { rowCount: number }).rowCount;
  }
  return 0;
}
