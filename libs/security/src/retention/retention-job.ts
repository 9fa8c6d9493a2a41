import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { UnitOfWork } from '@safecity/persistence';
import type { EntityManager, QueryRunner } from 'typeorm';
import type { AuditActor, AuditLog } from '../audit/audit-log';
import { RegionScope } from '../region-scope/region-scope';
import { RegionAccess } from '../region-scope/region-access';
import { affectedRows, ident, qualified } from '../sql';

/** How long one class of data is kept, and where it lives. */
export interface RetentionPolicy {
  /** Name of the data class, e.g. `unmatched-detection-metadata`; the audit records name it. */
  dataClass: string;
  /** Table in the service's schema. */
  table: string;
  /** Rows older than `retainFor` by this column are erased. */
  timestampColumn: string;
  retainFor: { days?: number; hours?: number };
  /**
   * Extra condition, SQL over the table's columns (e.g. `match_id IS NULL`). Written by the
   * service's developers, never built from input: it is spliced into the DELETE as it is.
   */
  where?: string;
  /** Legal basis of the erasure, recorded in the audit log (e.g. the retention order). */
  legalBasis: string;
}

export interface RetentionErasure {
  dataClass: string;
  count: number;
  cutoff: Date;
}

export type RetentionRunResult = { ran: false } | { ran: true; erasures: RetentionErasure[] };

export interface RetentionJobOptions {
  /** The service's schema. */
  schema: string;
  policies: readonly RetentionPolicy[];
  auditLog: AuditLog;
  /** Who the audit records name; default the service itself. */
  actor?: AuditActor;
  /** Default one hour. */
  intervalMs?: number;
  /**
   * False: the job runs only when asked (`runOnce`), never on a timer of its own, so that no run
   * lands in the middle of what a caller arranges (tests with a clock of their own). Default true.
   */
  scheduled?: boolean;
  /** First run after this long; default a random moment within the first minute, so replicas spread out. */
  initialDelayMs?: number;
  /** Rows per DELETE (and per transaction); default 1000. */
  batchSize?: number;
  /** Batches per policy per run, so one backlog cannot hold the lock for hours; default 100. */
  maxBatchesPerRun?: number;
  /** Called after each committed batch (metrics; tests). */
  onBatch?: (erasure: RetentionErasure) => void | Promise<void>;
  logger?: Pick<Logger, 'log' | 'error'>;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Erases expired data on a schedule. One instance at a time: the run holds a transaction-scoped
 * advisory lock (`pg_try_advisory_xact_lock`) on a connection of its own, and an instance that
 * does not get it skips the run. Rows go in bounded batches, each in its own transaction together
 * with the audit record of its erasure (action `erase`, purpose `retention`).
 */
export class RetentionJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<RetentionRunResult>;
  private stopped = true;
  private readonly logger: Pick<Logger, 'log' | 'error'>;
  private readonly actor: AuditActor;

  private readonly access: RegionAccess;

  constructor(
    private readonly unit: UnitOfWork,
    private readonly options: RetentionJobOptions,
  ) {
    this.access = new RegionAccess(unit);
    ident(options.schema, 'schema');
    for (const policy of options.policies) validatePolicy(policy);
    const classes = options.policies.map((p) => p.dataClass);
    if (new Set(classes).size !== classes.length)
      throw new Error('retention policies must name distinct data classes');
    this.logger = options.logger ?? new Logger('RetentionJob');
    this.actor = options.actor ?? {
      subject: `service:${options.schema}`,
      kind: 'service',
      roles: ['service'],
    };
  }

  onApplicationBootstrap(): void {
    if (this.options.scheduled !== false) this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Schedules runs every `intervalMs`; the timer does not keep the process alive. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(this.options.initialDelayMs ?? Math.floor(Math.random() * 60_000));
  }

  /** Cancels future runs and waits for one in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.runOnce()
        .catch((error: unknown) => this.logger.error(`retention run failed: ${(error as Error).message}`))
        .finally(() => this.schedule(this.options.intervalMs ?? 3_600_000));
    }, delay);
    this.timer.unref();
  }

  /** One run now; `{ ran: false }` if another instance (or run) holds the lock. */
  runOnce(): Promise<RetentionRunResult> {
    // Within one instance, a second caller waits for the run in progress rather than racing it.
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(): Promise<RetentionRunResult> {
    // Held on a connection of its own for the whole run, beside the batches' units of work.
    const lockHolder = this.unit.dataSource.createQueryRunner();
    await lockHolder.connect();
    try {
      await lockHolder.startTransaction();
      try {
        const [{ locked }] = (await lockHolder.query(
          'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked',
          [`retention:${this.options.schema}`],
        )) as [{ locked: boolean }];
        if (!locked) return { ran: false };
        const erasures: RetentionErasure[] = [];
        for (const policy of this.options.policies) erasures.push(await this.apply(policy, lockHolder));
        return { ran: true, erasures };
      } finally {
        // Nothing was written on this connection; rolling back just releases the lock.
        await lockHolder.rollbackTransaction();
      }
    } finally {
      await lockHolder.release();
    }
  }

  private async apply(policy: RetentionPolicy, clock: QueryRunner): Promise<RetentionErasure> {
    const [{ cutoff }] = (await clock.query('SELECT now() - make_interval(secs => $1) AS cutoff', [
      ((policy.retainFor.days ?? 0) * 24 + (policy.retainFor.hours ?? 0)) * 3600,
    ])) as [{ cutoff: Date }];
    const table = qualified(this.options.schema, policy.table);
    const column = ident(policy.timestampColumn, 'column');
    const extra = policy.where ? ` AND (${policy.where})` : '';
    const batchSize = this.options.batchSize ?? 1000;
    let total = 0;
    for (let batch = 0; batch < (this.options.maxBatchesPerRun ?? 100); batch++) {
      // Retention is not a user's action: it must see every region's rows through row-level security.
      const count = await this.access.run(RegionScope.allRegions(), async (manager) => {
        const deleted = affectedRows(
          await manager.query(
            `DELETE FROM ${table} WHERE ctid = ANY (ARRAY(
               SELECT ctid FROM ${table} WHERE ${column} < $1${extra} LIMIT $2 FOR UPDATE SKIP LOCKED))`,
            [cutoff, batchSize],
          ),
        );
        if (deleted > 0) await this.audit(manager, policy, deleted, cutoff);
        return deleted;
      });
      total += count;
      if (count > 0) await this.options.onBatch?.({ dataClass: policy.dataClass, count, cutoff });
      if (count < batchSize) break;
    }
    if (total > 0)
      this.logger.log(`erased ${total} ${policy.dataClass} record(s) older than ${cutoff.toISOString()}`);
    return { dataClass: policy.dataClass, count: total, cutoff };
  }

  private audit(manager: EntityManager, policy: RetentionPolicy, count: number, cutoff: Date) {
    return this.options.auditLog.record(manager, {
      actor: this.actor,
      action: 'erase',
      objectType: 'data-class',
      objectId: policy.dataClass,
      regionCode: null,
      purpose: 'retention',
      legalBasis: policy.legalBasis,
      details: { table: policy.table, count, cutoff: cutoff.toISOString() },
    });
  }
}

function validatePolicy(policy: RetentionPolicy): void {
  if (!policy.dataClass) throw new Error('a retention policy needs a dataClass');
  if (!IDENTIFIER.test(policy.table))
    throw new RangeError(`retention table ${JSON.stringify(policy.table)} is not a plain identifier`);
  if (!IDENTIFIER.test(policy.timestampColumn)) {
    throw new RangeError(
      `retention column ${JSON.stringify(policy.timestampColumn)} is not a plain identifier`,
    );
  }
  const { days = 0, hours = 0 } = policy.retainFor;
  if (!(Number.isFinite(days) && Number.isFinite(hours) && days >= 0 && hours >= 0 && days + hours > 0)) {
    throw new RangeError(`retention of ${policy.dataClass} must be a positive number of days and/or hours`);
  }
  if (!policy.legalBasis?.trim()) throw new Error(`retention of ${policy.dataClass} needs a legal basis`);
  if (policy.where !== undefined && /;|--|\/\*/.test(policy.where)) {
    throw new RangeError(`retention condition of ${policy.dataClass} must be a single SQL expression`);
  }
}
