import { EventPattern, Payload } from '@nestjs/microservices';
import { Topics, type cameras } from '@safecity/contracts';
import { EventConsumer, type ConsumedEvent } from '@safecity/messaging';
import { CameraHealthService } from './camera-health.service';

@EventConsumer()
export class CameraHeartbeatsConsumer {
  constructor(private readonly health: CameraHealthService) {}

  @EventPattern(Topics.CameraHeartbeats, { batch: true })
  async onHeartbeats(@Payload() events: ConsumedEvent<cameras.CameraHeartbeat>[]) {
    await this.health.recordHeartbeatEvents(events);
  }
}
