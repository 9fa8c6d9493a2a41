import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DataSource } from 'typeorm';
import { RegionScope } from './region-scope';
import { regionScoped } from './scoped-queries';

const ROOT = join(__dirname, '../../../..');

function sources(directory: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(directory)) {
    if (name === 'node_modules' || name === 'gen') continue;
    const path = join(directory, name);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** SQL handed to a TypeORM query builder, whose `:name` parameters TypeORM substitutes itself. */
const BUILDER_SQL =
  /\.(?:andWhere|orWhere|where|having|andHaving|orHaving|select|addSelect|orderBy|addOrderBy|groupBy|innerJoin\w*|leftJoin\w*|setParameter)\(\s*(`[^`]*`|'[^']*'|"[^"]*")/g;

describe('SQL of query builders', () => {
  it('never writes a `::type` cast, which a parameter named like the type turns into a parameter', () => {
    const offenders: string[] = [];
    for (const top of ['libs', 'services']) {
      for (const project of readdirSync(join(ROOT, top))) {
        const src = join(ROOT, top, project, 'src');
        try {
          statSync(src);
        } catch {
          continue;
        }
        for (const file of sources(src)) {
          const text = readFileSync(file, 'utf8');
          for (const match of text.matchAll(BUILDER_SQL)) {
            if (match[1]!.includes('::')) offenders.push(`${relative(ROOT, file)}: ${match[1]}`);
          }
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('keeps the region filter intact beside a caller parameter named like a type', () => {
    // A query builder without a connection renders SQL and parameters as PostgreSQL would get them.
    const dataSource = new DataSource({ type: 'postgres' });
    const qb = dataSource
      .createQueryBuilder()
      .select('c.id')
      .from('cameras', 'c')
      .where('c.name ILIKE :text', { text: '%Dostyk%' });
    regionScoped(qb, RegionScope.only(['ALA']), 'c.region_code');
    const [sql, parameters] = qb.getQueryAndParameters();
    expect(sql).toMatch(/c\.region_code = ANY\(CAST\(\$2 AS text\[\]\)\)/);
    expect(parameters).toEqual(['%Dostyk%', ['ALA']]);
  });
});
