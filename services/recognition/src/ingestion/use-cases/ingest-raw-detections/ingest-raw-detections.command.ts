import type { Command } from '@safecity/security';
import type { IngestUnit } from '../../pipeline/detection-ingest.service';

/** The detections of one fetched batch of `safecity.detections.raw.v1`, each with its source. */
export interface IngestRawDetections extends Command {
  units: IngestUnit[];
  /** Face detections refused because they carried a template on the bus (only counted). */
  templatesRefused: number;
}
