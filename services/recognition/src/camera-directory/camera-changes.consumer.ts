import { EventPattern, Payload } from '@nestjs/microservices';
import { Topics, type CameraChanged } from '@safecity/contracts';
import { EventConsumer, type ConsumedEvent } from '@safecity/messaging';
import type { Principal } from '@safecity/security';
import { RecordCameraChangeUseCase } from './use-cases';

/** camera-registry announces its changes on the bus, which authenticated it as the producer. */
const CAMERA_REGISTRY: Principal = {
  kind: 'service',
  subject: Topics.Cameras,
  roles: ['service'],
  regions: 'all',
};

@EventConsumer()
export class CameraChangesConsumer {
  constructor(private readonly recordCameraChange: RecordCameraChangeUseCase) {}

  @EventPattern(Topics.Cameras)
  async onCameraChanged(@Payload() event: ConsumedEvent<CameraChanged>) {
    await this.recordCameraChange.execute({ actor: CAMERA_REGISTRY, change: event });
  }
}
