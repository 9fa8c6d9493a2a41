import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RegionScope, ScopedTransaction } from '@safecity/security';
import type { DataSource, EntityManager } from 'typeorm';
import { PREVENTION_SCHEMA } from '../schema';

/**
 * Whether repositories add the region filter to their queries. Always true in the service; the
 * security tests switch it off to show that row-level security alone still hides other regions.
 */
export const REGION_QUERY_FILTER = Symbol('REGION_QUERY_FILTER');

/**
 * The two walls of region scope: every query runs in a transaction that sets `app.regions` for
 * row-level security, and repositories add the caller's regions to their WHERE clauses.
 */
@Injectable()
export class RegionAccess {
  constructor(
    @InjectDataSource(PREVENTION_SCHEMA) private readonly dataSource: DataSource,
    @Inject(REGION_QUERY_FILTER) private readonly queryFilter: boolean,
  ) {}

  run<T>(scope: RegionScope, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return ScopedTransaction.run(this.dataSource, scope, (context) => work(context.manager));
  }

  /** Scopes a transaction someone else opened (the outbox's, the inbox's). */
  async enter(manager: EntityManager, scope: RegionScope): Promise<EntityManager> {
    return (await ScopedTransaction.apply(manager, scope)).manager;
  }

  /**
   * The query's own region condition on `column`, with its parameter appended to `params`
   * (row-level security is the second wall beneath it).
   */
  clause(scope: RegionScope, params: unknown[], column = 'region_code'): string {
    if (!this.queryFilter || scope.all) return 'TRUE';
    params.push([...scope.regions]);
    return `${column} = ANY($${params.length}::text[])`;
  }
}

/** For work the service does on its own behalf (consumers, jobs). */
export const SERVICE_SCOPE = RegionScope.allRegions();
