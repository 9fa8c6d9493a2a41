import type { Command } from '@safecity/security';
import type { DetectionCandidate, IngestAdapter } from '../../candidate';

/** A batch a video system pushed, read by its adapter's parser: one call per batch. */
export interface IngestDetections extends Command {
  /** The adapter that read the batch (the route, or the MQTT subscription). */
  adapter: IngestAdapter;
  candidates: DetectionCandidate[];
  /** Vendor messages understood but carrying no detection (heartbeats, other topics). */
  ignored?: number;
}
