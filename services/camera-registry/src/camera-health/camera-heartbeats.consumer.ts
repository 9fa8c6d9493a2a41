import { EventPattern, Payload } from '@nestjs/microservices';
import { Topics, type cameras } from '@safecity/contracts';
import { EventConsumer, type ConsumedEvent } from '@safecity/messaging';
import type { Principal } from '@safecity/security';
import { RecordHeartbeatEventsUseCase } from './use-cases';

/** The bus authenticated the producers: heartbeats on it are relayed by the platform's own gateways. */
const HEARTBEAT_RELAY: Principal = {
  kind: 'service',
  subject: Topics.CameraHeartbeats,
  roles: ['service'],
  regions: 'all',
};

@EventConsumer()
export class CameraHeartbeatsConsumer {
  constructor(private readonly recordHeartbeatEvents: RecordHeartbeatEventsUseCase) {}

  @EventPattern(Topics.CameraHeartbeats, { batch: true })
  async onHeartbeats(@Payload() events: ConsumedEvent<cameras.CameraHeartbeat>[]) {
    await this.recordHeartbeatEvents.execute({ actor: HEARTBEAT_RELAY, heartbeats: events });
  }
}
