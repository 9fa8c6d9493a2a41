import { Injectable } from '@nestjs/common';
import { UseCase, UseCaseHandler } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { DetectionIngestService, type IngestSummary } from '../../pipeline/detection-ingest.service';
import type { IngestPlatformAnalytics } from './ingest-platform-analytics.command';

/**
 * Canonical detections from the platform's own analytics (video-analytics), on behalf of the
 * camera's video system, through the same pipeline as a vendor's; their face templates, like
 * every template, go only to the short-lived template store.
 */
@Injectable()
export class IngestPlatformAnalyticsUseCase extends UseCaseHandler<IngestPlatformAnalytics, IngestSummary> {
  constructor(private readonly pipeline: DetectionIngestService) {
    super();
  }

  @UseCase(P.ingestPlatformAnalytics)
  async execute({ videoSystemId, regionCode, candidates }: IngestPlatformAnalytics): Promise<IngestSummary> {
    return this.pipeline.ingest({ videoSystemId, regionCode, adapter: 'canonical' }, candidates);
  }
}
