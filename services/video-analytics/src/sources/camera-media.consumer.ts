import { Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Topics, type cameras } from '@safecity/contracts';
import { EventConsumer, type ConsumedEvent } from '@safecity/messaging';
import { AllSources } from '../assignment/all-sources';
import { WATCHED_SOURCES, type WatchedSources } from '../assignment/watched-sources';
import { CameraSourcesRepository } from './camera-sources.repository';

/** Keeps the read model of camera media sources (the highest version per camera wins). */
@EventConsumer()
export class CameraMediaConsumer {
  constructor(
    private readonly repository: CameraSourcesRepository,
    @Inject(WATCHED_SOURCES) private readonly watched: WatchedSources,
  ) {}

  @EventPattern(Topics.CameraMedia)
  async onMediaSourceChanged(@Payload() event: ConsumedEvent<cameras.CameraMediaSourceChanged>) {
    const newer = await this.repository.apply(event.data);
    if (newer && this.watched instanceof AllSources) this.watched.changed();
  }
}
