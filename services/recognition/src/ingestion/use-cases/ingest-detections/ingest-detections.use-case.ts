import { Injectable } from '@nestjs/common';
import { UseCase, UseCaseHandler, type Principal } from '@safecity/security';
import { ForbiddenError } from '@safecity/service-kit';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import type { IngestAdapter } from '../../candidate';
import {
  DetectionIngestService,
  type IngestSource,
  type IngestSummary,
} from '../../pipeline/detection-ingest.service';
import type { IngestDetections } from './ingest-detections.command';

/** The video system speaking, and the region its key is bound to. */
export function sourceOf(adapter: IngestAdapter, caller: Principal): IngestSource {
  const region = Array.isArray(caller.regions) ? caller.regions[0] : undefined;
  if (caller.kind !== 'video-system' || !region)
    throw new ForbiddenError('detections are pushed by a video system, with its key');
  return { videoSystemId: caller.subject, regionCode: region, adapter };
}

/**
 * A video system's batch of detections through the pipeline (`DetectionIngestService`): cameras
 * resolved, dropped with reasons, stored, announced and analysed in one transaction. When cameras
 * cannot be looked up nothing is stored and the caller is told to send the batch again.
 */
@Injectable()
export class IngestDetectionsUseCase extends UseCaseHandler<IngestDetections, IngestSummary> {
  constructor(private readonly pipeline: DetectionIngestService) {
    super();
  }

  @UseCase(P.ingestDetections)
  async execute({ actor, adapter, candidates, ignored }: IngestDetections): Promise<IngestSummary> {
    return this.pipeline.ingest(sourceOf(adapter, actor), candidates, ignored);
  }
}
