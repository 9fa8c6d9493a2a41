import { Injectable } from '@nestjs/common';
import { OutboxRelay } from '@safecity/messaging';

/**
 * Tells the outbox relay that a consumer committed outbox rows (through the inbox, which the
 * outbox does not see), so they go out without waiting for the relay's next poll. The live feed
 * hears of commits from the change log itself.
 */
@Injectable()
export class CommitSignal {
  constructor(private readonly relay: OutboxRelay) {}

  notify(): void {
    this.relay.wake();
  }
}
