import { Injectable } from '@nestjs/common';
import { Outbox } from '@safecity/messaging';
import { ScopedTransaction, type RegionScope } from '@safecity/security';
import type { EntityManager } from 'typeorm';

/**
 * The one transaction of a use case: opened through the outbox (its relay and the live feed wake
 * on commit) and limited to the caller's regions by row-level security.
 */
@Injectable()
export class RegionTransaction {
  constructor(private readonly outbox: Outbox) {}

  run<T>(scope: RegionScope, work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.outbox.transaction(async (m) => work((await ScopedTransaction.apply(m, scope)).manager));
  }
}
