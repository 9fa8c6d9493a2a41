import type { CameraChanged } from '@safecity/contracts';
import type { ConsumedEvent } from '@safecity/messaging';
import type { Command } from '@safecity/security';

export interface RecordCameraChange extends Command {
  /** The `CameraChanged` as consumed: its id keeps a redelivery out. */
  event: ConsumedEvent<CameraChanged>;
}
