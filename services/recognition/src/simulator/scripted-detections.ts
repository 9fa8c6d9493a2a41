import type { INestApplicationContext } from '@nestjs/common';
import { common } from '@safecity/contracts';
import { parseCanonicalValue } from '../ingestion/canonical/canonical-json.parser';
import { type IngestSummary } from '../ingestion/pipeline/detection-ingest.service';
import { IngestDetectionsUseCase } from '../ingestion/use-cases/ingest-detections/ingest-detections.use-case';
import { simulatedSystem } from './detection-simulator';

/** A canonical detection a demo script sends, with the pictures a vendor would upload along with it. */
export interface ScriptedDetection {
  detection: Record<string, unknown>;
  pictures?: { kind?: common.MediaKind; contentType: string; bytes: Buffer }[];
}

/**
 * Sends chosen detections (a hotlisted plate with its snapshot, a face of a watchlist subject, a
 * fight on a camera with a rule) through the same validation and pipeline as any video system's,
 * for demos that must show each kind of incident at a pace a person can follow.
 */
export function ingestScriptedDetections(
  app: INestApplicationContext,
  system: { videoSystemId: string; regionCode: string },
  items: ScriptedDetection[],
): Promise<IngestSummary> {
  const { candidates } = parseCanonicalValue({ detections: items.map((item) => item.detection) });
  candidates.forEach((candidate, i) => {
    const pictures = items[i]?.pictures;
    if (pictures?.length) {
      candidate.pictures = pictures.map((p) => ({
        kind: p.kind ?? common.MediaKind.MEDIA_KIND_SNAPSHOT,
        contentType: p.contentType,
        bytes: p.bytes,
      }));
    }
  });
  return app
    .get(IngestDetectionsUseCase)
    .execute({ actor: simulatedSystem(system), adapter: 'canonical', candidates });
}
