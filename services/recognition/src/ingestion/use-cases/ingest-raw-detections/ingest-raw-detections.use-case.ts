import { Injectable } from '@nestjs/common';
import { UseCase, UseCaseHandler } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import {
  DetectionIngestService,
  waitOutOutage,
  type IngestSummary,
} from '../../pipeline/detection-ingest.service';
import type { IngestRawDetections } from './ingest-raw-detections.command';

/** How long an outage is waited out before the batch goes to the retry topic. */
const OUTAGE_PATIENCE_MS = 120_000;

/**
 * A batch of the raw topic in one transaction. The topic's senders cannot be told to resend, so
 * an outage (camera-registry, the database) is waited out, the partition paused on it, rather
 * than spending the records' retries; past the patience it is thrown for the retry topic. A
 * redelivered record yields the same detection ids, so nothing is stored or announced twice.
 */
@Injectable()
export class IngestRawDetectionsUseCase extends UseCaseHandler<IngestRawDetections, IngestSummary | null> {
  constructor(private readonly pipeline: DetectionIngestService) {
    super();
  }

  @UseCase(P.ingestRawDetections)
  async execute({ units, templatesRefused }: IngestRawDetections): Promise<IngestSummary | null> {
    if (templatesRefused) this.pipeline.countFaceTemplatesOnBus(templatesRefused);
    if (units.length === 0) return null;
    return waitOutOutage(() => this.pipeline.ingestUnits(units), { patienceMs: OUTAGE_PATIENCE_MS });
  }
}
