import { once } from 'node:events';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DataSourceOptions } from 'typeorm';
import type { KafkaConnection } from '../kafka/kafka-config';
import type { OutboxRelayControl, OutboxRelayOptions } from './outbox-relay';

/** What the relay thread is started with: plain data only, as a worker's data must be. */
export interface RelayThreadData {
  dataSource: DataSourceOptions;
  connection: KafkaConnection;
  topicConfigs?: Record<string, Record<string, string>>;
  relay: Omit<OutboxRelayOptions, 'logger' | 'onPublished'>;
}

export type RelayThreadMessage =
  | { type: 'started' }
  | { type: 'stopped' }
  | { type: 'published'; count: number }
  | { type: 'status'; healthy: boolean; failure: string | null }
  | { type: 'warn'; message: string; context?: Record<string, unknown> };

const ENTRY = join(__dirname, `outbox-relay.thread${extname(__filename)}`);
// Services run from TypeScript source: the thread needs the same loader before its entry.
const BOOT = `
const { workerData } = require('node:worker_threads');
if (workerData.loader) require(workerData.loader);
require(workerData.entry);
`;
const RESTART_DELAY_MS = 1_000;
const STOP_TIMEOUT_MS = 15_000;

/**
 * The outbox relay on a worker thread of its own. Publishing is per-record work in kafkajs
 * (encoding, partitioning, checksums) that a busy service would otherwise do on the thread that
 * also consumes and stores, where the relay only gets a turn between batches and falls behind.
 * The relay itself is the same: same lock, same order, rows deleted only in the transaction that
 * saw the bus acknowledge them. A thread that dies is restarted; until then the rows wait.
 */
export class ThreadedOutboxRelay implements OutboxRelayControl {
  private worker: Worker | null = null;
  private running = false;
  private isHealthy = true;
  private lastError: string | null = null;

  constructor(
    private readonly data: RelayThreadData,
    private readonly hooks: Pick<OutboxRelayOptions, 'logger' | 'onPublished'> = {},
  ) {}

  /** Connection settings of a data source for a thread, or null when they cannot be handed over. */
  static dataSourceOptionsOf(options: DataSourceOptions): DataSourceOptions | null {
    const plain = {
      ...options,
      name: `${options.name ?? 'default'}-outbox-relay`,
      entities: [],
      migrations: [],
      subscribers: [],
      logger: undefined,
      // The relay holds one connection at a time.
      extra: { ...(options as { extra?: Record<string, unknown> }).extra, max: 2 },
    } as DataSourceOptions;
    try {
      return structuredClone(plain);
    } catch {
      return null;
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.spawn();
  }

  wake(): void {
    this.worker?.postMessage({ type: 'wake' });
  }

  get healthy(): boolean {
    return this.isHealthy;
  }

  get failure(): string | null {
    return this.lastError;
  }

  /** Lets the thread finish its batch and close its connections; what is left stays in the outbox. */
  async stop(): Promise<void> {
    this.running = false;
    const worker = this.worker;
    if (!worker) return;
    const exited = once(worker, 'exit');
    worker.postMessage({ type: 'stop' });
    const timer = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
    try {
      await exited;
    } finally {
      clearTimeout(timer);
    }
  }

  private spawn() {
    const loader = extname(ENTRY) === '.ts' ? require.resolve('@swc-node/register') : undefined;
    const worker = new Worker(BOOT, {
      eval: true,
      workerData: { ...this.data, entry: ENTRY, loader },
      name: `outbox-relay:${this.data.relay.schema}`,
    });
    this.worker = worker;
    worker.on('message', (message: RelayThreadMessage) => this.receive(message));
    worker.on('error', (error) => {
      this.isHealthy = false;
      this.lastError = error.message;
      this.hooks.logger?.warn('outbox relay thread failed', { error: error.message });
    });
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = null;
      if (!this.running) return;
      this.isHealthy = false;
      this.lastError ??= `outbox relay thread exited with code ${code}`;
      this.hooks.logger?.warn('outbox relay thread exited; restarting', { code });
      setTimeout(() => {
        if (this.running && !this.worker) this.spawn();
      }, RESTART_DELAY_MS).unref();
    });
  }

  private receive(message: RelayThreadMessage) {
    switch (message.type) {
      case 'published':
        this.hooks.onPublished?.(message.count);
        break;
      case 'status':
        this.isHealthy = message.healthy;
        this.lastError = message.failure;
        break;
      case 'warn':
        this.hooks.logger?.warn(message.message, message.context);
        break;
      case 'started':
      case 'stopped':
        break;
    }
  }
}
