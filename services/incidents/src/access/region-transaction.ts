import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@safecity/persistence';
import { REGION_SETTING, ScopedTransaction, type RegionScope } from '@safecity/security';
import type { EntityManager } from 'typeorm';

/**
 * The one transaction of a use case: the service's unit of work (the outbox, the inbox and the
 * audit log write into it; the outbox relay wakes on its commit), limited to the caller's regions
 * by row-level security. Run inside an open unit, it joins it and narrows or widens the scope.
 */
@Injectable()
export class RegionTransaction {
  constructor(private readonly unit: UnitOfWork) {}

  run<T>(scope: RegionScope, work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.unit.run(work, { settings: { [REGION_SETTING]: scope.toSetting() } });
  }

  /**
   * A transaction of its own, which never joins the current unit of work: for what runs once a
   * unit has committed (the live feed's reads), still inside that unit's context, where joining
   * would reach a transaction that has ended.
   */
  runApart<T>(scope: RegionScope, work: (m: EntityManager) => Promise<T>): Promise<T> {
    return ScopedTransaction.run(this.unit.dataSource, scope, (context) => work(context.manager));
  }
}
