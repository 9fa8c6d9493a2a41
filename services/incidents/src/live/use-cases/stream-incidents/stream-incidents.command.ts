import type { Command } from '@safecity/security';
import type { FeedClient } from '../../live-feed';

/** The part of a live-stream client the transport provides. */
export type StreamClient = Pick<FeedClient, 'regions' | 'send' | 'close'>;

export interface StreamIncidents extends Command {
  /** Why the caller watches: recorded with every face-match incident the stream carries. */
  purpose: string;
  client: StreamClient;
  /** Resume after this change (`id` of an event the stream sent), or from now. */
  lastEventId: number | null;
}
