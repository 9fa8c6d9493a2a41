import { Logger } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsServiceManager } from 'nestjs-cls';
import type { DataSource, EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import { preparedQuery } from '../prepared-statement';

export interface UnitOfWorkOptions {
  /** Only for a unit this call opens; a call that joins the current unit keeps its level. */
  isolationLevel?: IsolationLevel;
  /**
   * Transaction-local settings (`set_config(name, value, true)`, the same as `SET LOCAL`), such as
   * the region scope row-level security reads. They end with the transaction, so a pooled
   * connection never carries them to the next one. Applied whether the call opens the unit or
   * joins it: a use case called inside another narrows or widens the scope from there on.
   */
  settings?: Readonly<Record<string, string>>;
}

const SETTING_NAME = /^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/;

/** Thrown when a step that must write into the current unit of work runs outside one. */
export class NoUnitOfWorkError extends Error {
  constructor(what: string) {
    super(`${what} must run inside a unit of work (UnitOfWork.run)`);
    this.name = 'NoUnitOfWorkError';
  }
}

let units = 0;

/**
 * The one unit of work of a service: a PostgreSQL transaction on the service's data source that
 * everything done while it runs joins — the use case's queries, the outbox, the inbox, the audit
 * log — and the steps that must wait for its commit (the outbox relay's wake-up, the live feed).
 *
 * The plumbing is `@nestjs-cls/transactional` with its TypeORM adapter: the transaction travels in
 * async-local storage, so a step called from anywhere inside `run` finds it through `manager`
 * without being handed it. The role is the connection's own (`serviceDataSourceOptions`), set when
 * the pool connects; the region scope is a transaction-local setting passed to `run`.
 */
export class UnitOfWork {
  private readonly commitListeners = new Set<() => void>();
  private readonly host: TransactionHost<TransactionalAdapterTypeOrm>;
  private readonly hooksKey: symbol;
  private readonly logger = new Logger(UnitOfWork.name);
  /** The data source's name, for errors and logs. */
  readonly name: string;

  /**
   * The unit of work over `dataSource`. Each one keeps its transaction under a connection name of
   * its own: the embedded default runs several services (and tests several instances of one
   * service) in one process, and a transaction of one must never be found as the current unit of
   * another.
   */
  constructor(
    /** The service's data source: statements that need no transaction of their own use it directly. */
    readonly dataSource: DataSource,
  ) {
    this.name = String(dataSource.options.name ?? 'default');
    const connectionName = `${this.name}#${++units}`;
    const adapter = new TransactionalAdapterTypeOrm({ dataSourceToken: null });
    // What ClsPluginTransactional hands the host in a Nest module, built here so that a unit of
    // work also exists where no module does (the relay's thread, library tests).
    this.host = new TransactionHost<TransactionalAdapterTypeOrm>({
      ...adapter.optionsFactory(dataSource),
      connectionName,
      enableTransactionProxy: false,
      defaultTxOptions: {},
      extraProviderTokens: [],
    } as ConstructorParameters<typeof TransactionHost<TransactionalAdapterTypeOrm>>[0]);
    this.hooksKey = Symbol(`unit-of-work:${connectionName}:after-commit`);
  }

  /**
   * Runs `work` in the current unit of work, or opens one when there is none; `work` gets the
   * unit's manager (the same object `manager` returns). When this call opened the unit, what was
   * registered with `afterCommit` runs once it has committed, then every `onCommit` listener; when
   * it rolls back, nothing runs.
   */
  async run<T>(work: (manager: EntityManager) => Promise<T>, options: UnitOfWorkOptions = {}): Promise<T> {
    for (const name of Object.keys(options.settings ?? {})) {
      if (!SETTING_NAME.test(name))
        throw new RangeError(`setting ${JSON.stringify(name)} is not a custom setting name`);
    }
    const settle = async () => {
      const manager = this.host.tx;
      for (const [name, value] of Object.entries(options.settings ?? {})) {
        await preparedQuery(manager, `SELECT set_config($1, $2, true)`, [name, value]);
      }
      return work(manager);
    };
    if (this.active) return settle();
    const cls = ClsServiceManager.getClsService();
    const hooks: (() => void)[] = [];
    const result = await cls.run({ ifNested: 'inherit' }, () => {
      cls.set(this.hooksKey, hooks);
      return options.isolationLevel
        ? this.host.withTransaction({ isolationLevel: options.isolationLevel }, settle)
        : this.host.withTransaction(settle);
    });
    this.committed(hooks);
    return result;
  }

  /** Whether a unit of work of this data source is open here. */
  get active(): boolean {
    return this.host.isTransactionActive();
  }

  /** The current unit's manager; outside a unit of work this is a mistake, and throws. */
  get manager(): EntityManager {
    if (!this.active) throw new NoUnitOfWorkError(`a query on ${this.name}`);
    return this.host.tx;
  }

  /** Runs `hook` once the current unit has committed (never if it rolls back). */
  afterCommit(hook: () => void): void {
    if (!this.active) throw new NoUnitOfWorkError('afterCommit');
    const hooks = ClsServiceManager.getClsService().get<(() => void)[] | undefined>(this.hooksKey);
    if (!hooks) throw new NoUnitOfWorkError('afterCommit');
    hooks.push(hook);
  }

  /** Calls `listener` after every unit of work of this data source commits; returns the way to stop. */
  onCommit(listener: () => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  private committed(hooks: readonly (() => void)[]): void {
    // The transaction is durable by now: a failing hook must not turn the caller's success into
    // an error (it would be retried and done twice), so it is logged and the rest still run.
    for (const hook of [...hooks, ...this.commitListeners]) {
      try {
        hook();
      } catch (error) {
        this.logger.error({ msg: 'a step after a commit failed', unit: this.name, error: String(error) });
      }
    }
  }
}
