import { Inject, Injectable, Optional } from '@nestjs/common';
import { UnitOfWork, type UnitOfWorkOptions } from '@safecity/persistence';
import type { EntityManager, WhereExpressionBuilder } from 'typeorm';
import { RegionScope } from './region-scope';
import { REGION_SETTING, regionScoped } from './scoped-queries';

/**
 * Whether repositories add the region filter to their queries. Always true in a service; the
 * security tests switch it off to show that row-level security alone still hides other regions.
 */
export const REGION_QUERY_FILTER = Symbol('REGION_QUERY_FILTER');

/**
 * The two walls of region scope for a service's data: work runs in the service's unit of work
 * with `app.regions` set for row-level security, and repositories add the caller's regions to
 * their WHERE clauses through {@link filter} or {@link clause}.
 */
@Injectable()
export class RegionAccess {
  private readonly queryFilter: boolean;

  constructor(
    private readonly unit: UnitOfWork,
    @Optional() @Inject(REGION_QUERY_FILTER) queryFilter?: boolean,
  ) {
    this.queryFilter = queryFilter ?? true;
  }

  /**
   * Runs `work` in the unit of work (the current one, or one opened for it) scoped to `scope`.
   * Joining a unit sets the scope from there on: a use case's own scope, never its caller's.
   */
  run<T>(
    scope: RegionScope,
    work: (manager: EntityManager) => Promise<T>,
    options: Pick<UnitOfWorkOptions, 'isolationLevel' | 'separate'> = {},
  ): Promise<T> {
    if (!(scope instanceof RegionScope)) throw new TypeError('RegionAccess.run needs a RegionScope');
    return this.unit.run(work, { ...options, settings: { [REGION_SETTING]: scope.toSetting() } });
  }

  /**
   * Runs `work` in the unit of work already open here with the scope set to `scope`, then puts
   * the unit's scope back as it was: for a step on the service's own behalf (raising a match for
   * every region) inside a unit scoped to a caller's regions (ingesting one region's detections).
   */
  async within<T>(scope: RegionScope, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const manager = this.unit.manager;
    const [{ previous }] = (await manager.query(`SELECT current_setting($1, true) AS previous`, [
      REGION_SETTING,
    ])) as { previous: string | null }[];
    const result = await this.run(scope, work);
    // On failure the unit rolls back anyway, and its setting with it.
    await manager.query(`SELECT set_config($1, $2, true)`, [REGION_SETTING, previous ?? '']);
    return result;
  }

  /**
   * Scopes the unit of work already open here (the one the inbox opened for a consumed batch) to
   * `scope`, and returns its manager.
   */
  enter(scope: RegionScope): Promise<EntityManager> {
    return this.run(scope, async (manager) => manager);
  }

  get filtering(): boolean {
    return this.queryFilter;
  }

  /** Restricts a query builder to the scope's regions (see `regionScoped`). */
  filter<Q extends WhereExpressionBuilder>(qb: Q, scope: RegionScope, column?: string): Q {
    return this.queryFilter ? regionScoped(qb, scope, column) : qb;
  }

  /**
   * The region condition on `column` for a query written in SQL, with its parameter appended to
   * `params` (row-level security is the second wall beneath it).
   */
  clause(scope: RegionScope, params: unknown[], column = 'region_code'): string {
    if (!this.queryFilter || scope.all) return 'TRUE';
    params.push([...scope.regions]);
    return `${column} = ANY($${params.length}::text[])`;
  }
}

/** For work a service does on its own behalf (consumers, jobs, service-to-service calls). */
export const SERVICE_SCOPE = RegionScope.allRegions();
