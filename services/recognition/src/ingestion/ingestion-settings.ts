import { INGEST_BODY_LIMITS, type IngestBodyLimits } from './body-limits';

/** Tunables of detection ingestion; every one has a default fit for production. */
export interface IngestionSettings {
  /** A detection observed further in the future than this (vendor clock ahead) is dropped. */
  maxClockAheadMs: number;
  /** A detection observed longer ago than this (clock behind, or a stale backlog) is dropped. */
  maxAgeMs: number;
  /** Unmatched detection metadata is erased after this many hours. */
  detectionRetentionHours: number;
  /** Face templates not taken by a matcher within this time are erased. */
  faceTemplateTtlMs: number;
  faceTemplateMaxEntries: number;
  /** Largest request body an ingest route reads, by format (`body-limits.ts`). */
  bodyLimits: IngestBodyLimits;
  media: MediaStoreSettings;
}

export interface MediaStoreSettings {
  /** Directory of the local media store; created when missing. */
  directory: string;
  /** Total bytes the store may hold; the oldest pictures are erased to make room. */
  maxTotalBytes: number;
  /** Largest single picture accepted. */
  maxPictureBytes: number;
  /** Pictures are erased this many hours after they were stored. */
  retentionHours: number;
}

export const INGESTION_SETTINGS = Symbol('INGESTION_SETTINGS');

/** What a deployment or a test sets; the rest keeps its default. */
export type IngestionOverrides = Partial<Omit<IngestionSettings, 'media' | 'bodyLimits'>> & {
  media?: Partial<MediaStoreSettings>;
  bodyLimits?: Partial<IngestBodyLimits>;
};

export function ingestionSettings(overrides: IngestionOverrides = {}): IngestionSettings {
  return {
    maxClockAheadMs: 5 * 60_000,
    maxAgeMs: 24 * 3_600_000,
    detectionRetentionHours: 72,
    faceTemplateTtlMs: 60_000,
    faceTemplateMaxEntries: 50_000,
    ...overrides,
    bodyLimits: { ...INGEST_BODY_LIMITS, ...overrides.bodyLimits },
    media: {
      directory: '.data/recognition-media',
      maxTotalBytes: 1024 * 1024 * 1024,
      maxPictureBytes: 5 * 1024 * 1024,
      retentionHours: 72,
      ...overrides.media,
    },
  };
}
