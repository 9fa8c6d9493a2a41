import { EventPattern, Payload } from '@nestjs/microservices';
import { Topics, type incidents } from '@safecity/contracts';
import { EventConsumer, type ConsumedEvent } from '@safecity/messaging';
import type { Principal } from '@safecity/security';
import { ApplyIncidentChangesUseCase } from './use-cases';

/** The bus authenticated the producer: incident changes on it come from the platform's incidents service. */
const INCIDENT_FEED: Principal = {
  kind: 'service',
  subject: Topics.Incidents,
  roles: ['service'],
  regions: 'all',
};

@EventConsumer()
export class IncidentChangesConsumer {
  constructor(private readonly applyIncidentChanges: ApplyIncidentChangesUseCase) {}

  @EventPattern(Topics.Incidents, { batch: true })
  async onIncidentChanges(@Payload() events: ConsumedEvent<incidents.IncidentChanged>[]) {
    await this.applyIncidentChanges.execute({ actor: INCIDENT_FEED, events });
  }
}
