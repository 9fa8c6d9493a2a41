import type { common, recognition } from '@safecity/contracts';
import type { FaceTemplate } from '../pipeline/face-template-store';

/** How a detection reached the platform; the label of its metrics and the key of its parser. */
export type IngestAdapter = 'canonical' | 'canonical-kafka' | 'onvif' | 'hikvision' | 'frigate';

export interface FaceCandidate {
  /** Held only until the pipeline moves it into the template store. */
  template: FaceTemplate | null;
  quality: number;
  confidence: number;
}

/**
 * A vendor event as an adapter understood it, before camera resolution, privacy masks and
 * clock checks. Parsers produce these and nothing else; they never touch the database.
 */
export interface DetectionCandidate {
  vendorEventId: string;
  cameraExternalId: string;
  observedAt: Date;
  /**
   * When this version of the event was produced. Vendors that update an event (Frigate) send a
   * later one with every update; a version not later than the stored one changes nothing.
   */
  revisedAt?: Date;
  kind: recognition.DetectionKind;
  frameBox: recognition.NormalizedBox | null;
  media: common.MediaRef[];
  plate?: recognition.PlateObservation;
  face?: FaceCandidate;
  behaviour?: recognition.BehaviourObservation;
  /** Pictures that came with the event, to be kept in the media store (Hikvision multipart). */
  pictures?: { kind: common.MediaKind; contentType: string; bytes: Buffer }[];
}

/** A parser's answer: candidates, and vendor messages it understood but that carry no detection. */
export interface ParsedEvents {
  candidates: DetectionCandidate[];
  /** Events of topics or types the platform does not turn into detections (heartbeats, video loss). */
  ignored: number;
}
