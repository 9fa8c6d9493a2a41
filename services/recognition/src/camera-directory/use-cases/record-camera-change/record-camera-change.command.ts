import type { CameraChanged } from '@safecity/contracts';
import type { ConsumedEvent } from '@safecity/messaging';
import type { Command } from '@safecity/security';

/** One `safecity.cameras.v1` event, decoded: its id makes applying it once possible. */
export interface RecordCameraChange extends Command {
  change: ConsumedEvent<CameraChanged>;
}
