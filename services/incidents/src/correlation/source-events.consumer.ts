import { EventPattern, Payload } from '@nestjs/microservices';
import { Topics } from '@safecity/contracts';
import { EventConsumer, type ConsumedEvent } from '@safecity/messaging';
import type { Principal } from '@safecity/security';
import { CorrelateSourceEventsUseCase } from './use-cases/correlate-source-events/correlate-source-events.use-case';

/** The bus authenticated the producers: matches, alerts and camera status come from the platform. */
const SOURCE_EVENTS: Principal = {
  kind: 'service',
  subject: 'safecity.source-events',
  roles: ['service'],
  regions: 'all',
};

/** `safecity.matches.v1`, `safecity.alerts.v1` and `safecity.camera-status.v1`, a fetch per call. */
@EventConsumer()
export class SourceEventsConsumer {
  constructor(private readonly correlateSourceEvents: CorrelateSourceEventsUseCase) {}

  @EventPattern(Topics.Matches, { batch: true, acrossPartitions: true })
  async onMatches(@Payload() events: ConsumedEvent[]) {
    await this.correlateSourceEvents.execute({ actor: SOURCE_EVENTS, events });
  }

  @EventPattern(Topics.Alerts, { batch: true, acrossPartitions: true })
  async onAlerts(@Payload() events: ConsumedEvent[]) {
    await this.correlateSourceEvents.execute({ actor: SOURCE_EVENTS, events });
  }

  @EventPattern(Topics.CameraStatus, { batch: true, acrossPartitions: true })
  async onCameraStatus(@Payload() events: ConsumedEvent[]) {
    await this.correlateSourceEvents.execute({ actor: SOURCE_EVENTS, events });
  }
}
