import { EventPattern, Payload } from '@nestjs/microservices';
import { Topics, type CameraChanged } from '@safecity/contracts';
import { EventConsumer, type ConsumedEvent } from '@safecity/messaging';
import type { Principal } from '@safecity/security';
import { RecordCameraChangeUseCase } from './use-cases/record-camera-change/record-camera-change.use-case';

/** camera-registry announces its cameras on the bus, which authenticated it. */
const CAMERA_REGISTRY: Principal = {
  kind: 'service',
  subject: Topics.Cameras,
  roles: ['service'],
  regions: 'all',
};

/** `safecity.cameras.v1`: the local copy of the cameras follows camera-registry. */
@EventConsumer()
export class CameraChangesConsumer {
  constructor(private readonly recordCameraChange: RecordCameraChangeUseCase) {}

  @EventPattern(Topics.Cameras)
  async onCameraChanged(@Payload() event: ConsumedEvent<CameraChanged>) {
    await this.recordCameraChange.execute({ actor: CAMERA_REGISTRY, event });
  }
}
