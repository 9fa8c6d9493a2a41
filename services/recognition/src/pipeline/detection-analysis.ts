import type { EntityManager } from 'typeorm';
import type { recognition } from '@safecity/contracts';
import type { DirectoryCamera } from '../camera-directory/camera-directory.repository';

/** A detection that passed validation, dedupe, camera resolution and privacy masks. */
export interface AcceptedDetection {
  readonly detection: recognition.Detection;
  /** The platform camera it was resolved to (region, location, tags, capabilities). */
  readonly camera: DirectoryCamera;
}

/**
 * What happens to accepted detections after normalisation: plate and face watchlist matching,
 * behaviour rules. Analysers run inside the transaction that stored the batch, so a match or an
 * alert is written (with its outbox record) exactly when its detection is, and a redelivered
 * detection, which dedupe drops, is never analysed twice.
 */
export interface DetectionAnalyser {
  readonly name: string;
  analyse(batch: readonly AcceptedDetection[], manager: EntityManager): Promise<void>;
}

/** Nest multi-provider token: every analyser module contributes its analyser under it. */
export const DETECTION_ANALYSERS = Symbol('DETECTION_ANALYSERS');
