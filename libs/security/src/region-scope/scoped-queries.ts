import { preparedQuery } from '@safecity/persistence';
import type {
  DataSource,
  EntityManager,
  EntityTarget,
  ObjectLiteral,
  SelectQueryBuilder,
  WhereExpressionBuilder,
} from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import { RegionScope } from './region-scope';

/** The PostgreSQL setting row-level security policies read (see `enableRegionRowLevelSecurity`). */
export const REGION_SETTING = 'app.regions';

const COLUMN = /^(?:[A-Za-z_][A-Za-z0-9_]*\.)?[A-Za-z_][A-Za-z0-9_]*$/;
let parameterCounter = 0;

/**
 * Restricts a query builder to the scope's regions (`column = ANY(regions)`); a scope of every
 * region adds nothing, an empty one matches nothing. `column` defaults to `<alias>.region_code`.
 */
export function regionScoped<Q extends WhereExpressionBuilder>(
  qb: Q,
  scope: RegionScope,
  column?: string,
): Q {
  if (!(scope instanceof RegionScope)) throw new TypeError('regionScoped needs a RegionScope');
  const target = column ?? defaultColumn(qb);
  if (!COLUMN.test(target))
    throw new RangeError(`region column ${JSON.stringify(target)} is not a column name`);
  if (scope.all) return qb;
  if (scope.regions.length === 0) return qb.andWhere('1 = 0') as Q;
  // Parameters share one namespace per query builder; a fresh name cannot collide with the caller's.
  // CAST(… AS …) rather than `::text[]`: TypeORM reads every `:word` of the SQL as a parameter, so a
  // caller's parameter named `text` would turn the cast into `$1:$2[]`.
  const parameter = `scopeRegions${++parameterCounter}`;
  return qb.andWhere(`${target} = ANY(CAST(:${parameter} AS text[]))`, {
    [parameter]: [...scope.regions],
  }) as Q;
}

function defaultColumn(qb: WhereExpressionBuilder): string {
  const alias = (qb as { alias?: unknown }).alias;
  if (typeof alias !== 'string')
    throw new Error('regionScoped needs a column for a query builder without alias');
  return `${alias}.region_code`;
}

/** What a scoped transaction hands its work: the transaction's manager, and scoped helpers. */
export interface ScopedContext {
  readonly manager: EntityManager;
  readonly scope: RegionScope;
  /** A query builder over `entity`, already restricted to the scope. */
  select<E extends ObjectLiteral>(
    entity: EntityTarget<E>,
    alias: string,
    regionColumn?: string,
  ): SelectQueryBuilder<E>;
  /** Throws `RegionOutOfScopeError` unless the region is in scope: call before creating or moving rows. */
  assertWritable(regionCode: string | null | undefined): void;
}

export interface ScopedTransactionOptions {
  isolationLevel?: IsolationLevel;
}

/**
 * A transaction in which both walls stand: queries built through the context are filtered by
 * region, and `app.regions` is set for row-level security with `set_config(..., true)` (the same as
 * `SET LOCAL`), so it ends with the transaction and a pooled connection never carries it to the
 * next one.
 */
export class ScopedTransaction {
  static run<T>(
    dataSource: DataSource,
    scope: RegionScope,
    work: (context: ScopedContext) => Promise<T>,
    options: ScopedTransactionOptions = {},
  ): Promise<T> {
    const body = async (manager: EntityManager) => work(await ScopedTransaction.apply(manager, scope));
    return options.isolationLevel
      ? dataSource.transaction(options.isolationLevel, body)
      : dataSource.transaction(body);
  }

  /**
   * Scopes a transaction that is already open (e.g. one started by `Outbox.transaction`). Outside
   * a transaction the setting would vanish after one statement, so that is refused.
   */
  static async apply(manager: EntityManager, scope: RegionScope): Promise<ScopedContext> {
    if (!(scope instanceof RegionScope)) throw new TypeError('ScopedTransaction needs a RegionScope');
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('ScopedTransaction.apply must be called inside a transaction');
    }
    await preparedQuery(manager, `SELECT set_config('${REGION_SETTING}', $1, true)`, [scope.toSetting()]);
    return {
      manager,
      scope,
      select: (entity, alias, regionColumn) =>
        regionScoped(
          manager.createQueryBuilder(entity, alias),
          scope,
          regionColumn ?? `${alias}.region_code`,
        ),
      assertWritable: (regionCode) => scope.assertIncludes(regionCode),
    };
  }
}

/** {@link ScopedTransaction} bound to a service's data source, for injection into repositories. */
export class ScopedQueries {
  constructor(private readonly dataSource: DataSource) {}

  run<T>(
    scope: RegionScope,
    work: (context: ScopedContext) => Promise<T>,
    options?: ScopedTransactionOptions,
  ) {
    return ScopedTransaction.run(this.dataSource, scope, work, options);
  }
}
