import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Outbox, OutboxRelay } from '@safecity/messaging';

/**
 * Tells the outbox relay and the live feed that changes were committed, whether by a request
 * (through `Outbox.transaction`) or by a consumer (through the inbox, which the outbox does not
 * see), so neither waits for its next poll.
 */
@Injectable()
export class CommitSignal implements OnModuleDestroy {
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribe: () => void;

  constructor(
    outbox: Outbox,
    private readonly relay: OutboxRelay,
  ) {
    this.unsubscribe = outbox.onCommit(() => this.emit());
  }

  notify(): void {
    this.relay.wake();
    this.emit();
  }

  onCommit(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onModuleDestroy() {
    this.unsubscribe();
  }

  private emit() {
    for (const listener of this.listeners) listener();
  }
}
