import { GetDetectionUseCase } from './get-detection/get-detection.use-case';
import { IngestDetectionsUseCase } from './ingest-detections/ingest-detections.use-case';
import { IngestPlatformAnalyticsUseCase } from './ingest-platform-analytics/ingest-platform-analytics.use-case';
import { IngestRawDetectionsUseCase } from './ingest-raw-detections/ingest-raw-detections.use-case';
import { IssueIngestKeyUseCase } from './issue-ingest-key/issue-ingest-key.use-case';
import { ListIngestKeysUseCase } from './list-ingest-keys/list-ingest-keys.use-case';
import { ReadMediaUseCase } from './read-media/read-media.use-case';
import { RevokeIngestKeyUseCase } from './revoke-ingest-key/revoke-ingest-key.use-case';

export {
  GetDetectionUseCase,
  IngestDetectionsUseCase,
  IngestPlatformAnalyticsUseCase,
  IngestRawDetectionsUseCase,
  IssueIngestKeyUseCase,
  ListIngestKeysUseCase,
  ReadMediaUseCase,
  RevokeIngestKeyUseCase,
};

/** Every operation of ingestion: batches in, detections and pictures out, the systems' keys. */
export const INGESTION_USE_CASES = [
  IngestDetectionsUseCase,
  IngestPlatformAnalyticsUseCase,
  IngestRawDetectionsUseCase,
  GetDetectionUseCase,
  ReadMediaUseCase,
  IssueIngestKeyUseCase,
  ListIngestKeysUseCase,
  RevokeIngestKeyUseCase,
];
