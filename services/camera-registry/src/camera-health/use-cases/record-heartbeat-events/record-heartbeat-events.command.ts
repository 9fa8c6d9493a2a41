import type { cameras } from '@safecity/contracts';
import type { ConsumedEvent } from '@safecity/messaging';
import type { Command } from '@safecity/security';

export interface RecordHeartbeatEvents extends Command {
  /** One fetch's decoded `safecity.camera-heartbeats.v1` records. */
  heartbeats: ConsumedEvent<cameras.CameraHeartbeat>[];
}
