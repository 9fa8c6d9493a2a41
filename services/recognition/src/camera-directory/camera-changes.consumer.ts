import { EventPattern, Payload } from '@nestjs/microservices';
import { Topics, type CameraChanged } from '@safecity/contracts';
import { EventConsumer, type ConsumedEvent } from '@safecity/messaging';
import { CameraDirectoryService } from './camera-directory.service';

@EventConsumer()
export class CameraChangesConsumer {
  constructor(private readonly directory: CameraDirectoryService) {}

  @EventPattern(Topics.Cameras)
  async onCameraChanged(@Payload() event: ConsumedEvent<CameraChanged>) {
    await this.directory.applyChange(event);
  }
}
