import { EventPattern, Payload } from '@nestjs/microservices';
import { Topics, type CameraChanged } from '@safecity/contracts';
import { EventConsumer, Inbox, NonRetriableEventError, type ConsumedEvent } from '@safecity/messaging';
import { RegionScope, ScopedTransaction } from '@safecity/security';
import { CameraDirectoryRepository } from './camera-directory.repository';

/** Keeps the local copy of the cameras (place and tags) current from `safecity.cameras.v1`. */
@EventConsumer()
export class CameraChangesConsumer {
  constructor(
    private readonly inbox: Inbox,
    private readonly directory: CameraDirectoryRepository,
  ) {}

  @EventPattern(Topics.Cameras)
  async onCameraChanged(@Payload() event: ConsumedEvent<CameraChanged>) {
    const camera = event.data.camera;
    if (!camera?.id || !camera.regionCode) {
      throw new NonRetriableEventError('CameraChanged without a camera id and region');
    }
    await this.inbox.once(event, async (manager) => {
      const m = (await ScopedTransaction.apply(manager, RegionScope.allRegions())).manager;
      await this.directory.upsert(m, camera);
    });
  }
}
