import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RegionScope, ScopedTransaction, regionScoped } from '@safecity/security';
import type { DataSource, EntityManager, WhereExpressionBuilder } from 'typeorm';
import { CAMERA_REGISTRY_SCHEMA } from '../schema';

/**
 * Whether repositories add the region filter to their queries. Always true in the service; the
 * security tests switch it off to prove that row-level security alone still hides other regions.
 */
export const REGION_QUERY_FILTER = Symbol('REGION_QUERY_FILTER');

/**
 * The two walls of region scope for this service's data: every query runs in a transaction that
 * sets `app.regions` for row-level security, and repositories add the caller's regions to their
 * WHERE clauses through {@link RegionAccess.filter}.
 */
@Injectable()
export class RegionAccess {
  constructor(
    @InjectDataSource(CAMERA_REGISTRY_SCHEMA) private readonly dataSource: DataSource,
    @Inject(REGION_QUERY_FILTER) private readonly queryFilter: boolean,
  ) {}

  /** Runs `work` in a transaction scoped to `scope`. */
  run<T>(scope: RegionScope, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return ScopedTransaction.run(this.dataSource, scope, (context) => work(context.manager));
  }

  /** Scopes a transaction someone else opened (the outbox's). */
  async enter(manager: EntityManager, scope: RegionScope): Promise<EntityManager> {
    return (await ScopedTransaction.apply(manager, scope)).manager;
  }

  get filtering(): boolean {
    return this.queryFilter;
  }

  filter<Q extends WhereExpressionBuilder>(qb: Q, scope: RegionScope, column?: string): Q {
    return this.queryFilter ? regionScoped(qb, scope, column) : qb;
  }
}

/** For work the service does on its own behalf (detector jobs, service-to-service calls). */
export const SERVICE_SCOPE = RegionScope.allRegions();
