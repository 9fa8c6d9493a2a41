import { EventPattern, Payload } from '@nestjs/microservices';
import { Topics, type incidents } from '@safecity/contracts';
import { EventConsumer, type ConsumedEvent } from '@safecity/messaging';
import { IncidentTriggersService } from './incident-triggers.service';

@EventConsumer()
export class IncidentChangesConsumer {
  constructor(private readonly triggers: IncidentTriggersService) {}

  @EventPattern(Topics.Incidents, { batch: true })
  async onIncidentChanges(@Payload() events: ConsumedEvent<incidents.IncidentChanged>[]) {
    await this.triggers.apply(events);
  }
}
