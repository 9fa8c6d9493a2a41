import { Inject, Injectable } from '@nestjs/common';
import { common, EventTypes, recognition, Topics } from '@safecity/contracts';
import { dependencyReturn, Outbox, type OutboundEvent } from '@safecity/messaging';
import { INGEST_DETECTIONS_TOTAL, MetricsService } from '@safecity/observability';
import { RegionAccess, RegionScope } from '@safecity/security';
import { isDependencyUnavailable, UnavailableError } from '@safecity/service-kit';
import type { Counter } from 'prom-client';
import { CameraDirectoryService } from '../../camera-directory/camera-directory.service';
import type { DirectoryCamera } from '../../camera-directory/camera-directory.repository';
import {
  DETECTION_ANALYSERS,
  type AcceptedDetection,
  type DetectionAnalyser,
} from '../../pipeline/detection-analysis';
import { FaceTemplateStore } from '../../pipeline/face-template-store';
import type { DetectionCandidate, IngestAdapter } from '../candidate';
import { detectionId, observationEventId } from '../detection-id';
import { INGESTION_SETTINGS, type IngestionSettings } from '../ingestion-settings';
import { MediaStore, type IndexedPicture } from '../media/media-store';
import { DetectionsRepository, type DetectionRow } from './detections.repository';
import { normalise, type DropReason } from './normalise';
import { encodeObservation, type EncodedObservation } from './observation-encoding';

/**
 * camera-registry could not be asked about a camera the local directory does not know: nothing
 * was stored, try later (503 with `Retry-After` over HTTP; waited out on the raw topic).
 */
export class CameraDirectoryUnavailableError extends UnavailableError {
  constructor(cause: unknown) {
    // The cause is kept so that the platform's classifier (the event consumers') sees the outage.
    super('cameras cannot be looked up now; nothing was stored, send the batch again', {
      cause,
      retryAfterSeconds: 5,
    });
  }
}

/** Whether an ingest failed because something it needs cannot answer now (retry, never drop). */
export function isIngestOutage(error: unknown): boolean {
  return error instanceof CameraDirectoryUnavailableError || isDependencyUnavailable(error);
}

/**
 * Runs `attempt` until it succeeds, waiting (200 ms doubling to 10 s, cut short when the process
 * sees its dependencies answer again: `dependencyReturn`) while it fails for an outage, for at
 * most `patienceMs`; any other failure, or the outage outlasting the patience, is thrown. For
 * channels whose sender cannot be told to resend (a broker's messages, a topic).
 */
export async function waitOutOutage<T>(
  attempt: () => Promise<T>,
  options: { patienceMs: number; stopped?: () => boolean },
): Promise<T> {
  const until = Date.now() + options.patienceMs;
  for (let wait = 200, waited = false; ; wait = Math.min(wait * 2, 10_000)) {
    try {
      const result = await attempt();
      if (waited) dependencyReturn.answered();
      return result;
    } catch (error) {
      if (!isIngestOutage(error) || Date.now() + wait > until || options.stopped?.()) throw error;
      waited = true;
      await dependencyReturn.wait(wait);
    }
  }
}

/** Who submitted detections: the video system behind the API key (or the raw record), and how. */
export interface IngestSource {
  videoSystemId: string;
  regionCode: string;
  adapter: IngestAdapter;
}

export type DetectionOutcome = 'accepted' | 'updated' | 'duplicate' | 'dropped';

export interface DetectionResult {
  index: number;
  vendorEventId: string;
  /** Absent for detections dropped before their camera was known. */
  id?: string;
  outcome: DetectionOutcome;
  reason?: DropReason;
  /**
   * For `unknown-camera`: the camera id the detection named and the lookup it failed, so an
   * integrator sees which of its ids has no registered camera (`externalId`) in this video system.
   */
  detail?: string;
}

/** The answer of an ingest call: what became of every submitted detection. */
export interface IngestSummary {
  received: number;
  accepted: number;
  updated: number;
  duplicates: number;
  dropped: Partial<Record<DropReason, number>>;
  /** Vendor messages understood but carrying no detection (heartbeats, other topics). */
  ignored: number;
  detections: DetectionResult[];
}

export interface IngestUnit {
  source: IngestSource;
  candidate: DetectionCandidate;
}

interface Kept {
  unit: number;
  accepted: AcceptedDetection;
  revisedAt: Date | null;
  templateRef?: string;
}

/**
 * The one path every adapter's detections take: camera resolution, decommissioned cameras,
 * clock bounds and privacy masks, in-batch and stored dedupe, then one transaction that stores the
 * batch, queues `DetectionObserved` in the outbox and runs the analysers.
 */
@Injectable()
export class DetectionIngestService {
  private readonly ingested;
  private readonly droppedTotal: Counter<'adapter' | 'reason'>;

  constructor(
    private readonly cameras: CameraDirectoryService,
    private readonly repository: DetectionsRepository,
    private readonly outbox: Outbox,
    private readonly access: RegionAccess,
    private readonly templates: FaceTemplateStore,
    private readonly media: MediaStore,
    @Inject(DETECTION_ANALYSERS) private readonly analysers: DetectionAnalyser[],
    @Inject(INGESTION_SETTINGS) private readonly settings: IngestionSettings,
    metrics: MetricsService,
  ) {
    this.ingested = metrics.platform(INGEST_DETECTIONS_TOTAL);
    this.droppedTotal = metrics.counter(
      'safecity_ingest_detections_dropped_total',
      'Detections understood but not taken, by ingestion adapter and reason',
      ['adapter', 'reason'],
    );
  }

  /** Counts face detections refused on the raw topic, whose templates are never kept or forwarded. */
  countFaceTemplatesOnBus(count: number): void {
    this.droppedTotal.inc({ adapter: 'canonical-kafka', reason: 'face-template-on-bus' }, count);
  }

  /** Counts a payload refused at the edge (4xx). */
  countRejected(adapter: IngestAdapter, regionCode: string, count = 1): void {
    this.ingested.inc({ adapter, region: regionCode, outcome: 'rejected' }, count);
  }

  async ingest(source: IngestSource, candidates: DetectionCandidate[], ignored = 0): Promise<IngestSummary> {
    const summary = await this.ingestUnits(candidates.map((candidate) => ({ source, candidate })));
    summary.ignored = ignored;
    return summary;
  }

  /** Many sources at once (a consumed Kafka batch): one camera pass and one transaction. */
  async ingestUnits(units: IngestUnit[], receivedAt = new Date()): Promise<IngestSummary> {
    const results: DetectionResult[] = units.map((u, index) => ({
      index,
      vendorEventId: u.candidate.vendorEventId,
      outcome: 'dropped',
    }));
    const cameras = await this.resolveCameras(units);
    const kept = new Map<string, Kept>();
    units.forEach((unit, index) => {
      const { source, candidate } = unit;
      const camera = cameras.get(cameraKey(source.videoSystemId, candidate.cameraExternalId)) ?? null;
      const result = normalise(candidate, camera, {
        videoSystemId: source.videoSystemId,
        regionCode: source.regionCode,
        receivedAt,
        maxClockAheadMs: this.settings.maxClockAheadMs,
        maxAgeMs: this.settings.maxAgeMs,
      });
      if (!result.ok) {
        results[index] = {
          index,
          vendorEventId: candidate.vendorEventId,
          id: camera ? detectionId(source.videoSystemId, candidate.vendorEventId) : undefined,
          outcome: 'dropped',
          reason: result.reason,
          // The same words whether no camera has this id or one in another region has it.
          ...(result.reason === 'unknown-camera'
            ? { detail: unknownCameraDetail(candidate.cameraExternalId, source.videoSystemId) }
            : {}),
        };
        return;
      }
      results[index] = {
        index,
        vendorEventId: candidate.vendorEventId,
        id: result.detection.id,
        outcome: 'duplicate',
      };
      const earlier = kept.get(result.detection.id);
      // The same event twice in one batch is one detection: its latest revision wins.
      if (earlier && (earlier.revisedAt?.getTime() ?? 0) >= (result.revisedAt?.getTime() ?? 0)) return;
      kept.set(result.detection.id, {
        unit: index,
        accepted: { detection: result.detection, camera: result.camera },
        revisedAt: result.revisedAt,
      });
    });

    const batch = [...kept.values()];
    for (const k of batch) {
      const template = units[k.unit]!.candidate.face?.template;
      if (template && k.accepted.detection.face) {
        k.templateRef = this.templates.put(template);
        k.accepted.detection.face.templateRef = k.templateRef;
      }
    }
    let outcomes: Map<string, 'inserted' | 'updated'>;
    try {
      outcomes = batch.length ? await this.store(batch, units) : new Map();
    } catch (error) {
      for (const k of batch) if (k.templateRef) this.templates.discard(k.templateRef);
      throw error;
    }
    for (const k of batch) {
      const outcome = outcomes.get(k.accepted.detection.id);
      if (!outcome && k.templateRef) this.templates.discard(k.templateRef);
      if (outcome) results[k.unit]!.outcome = outcome === 'inserted' ? 'accepted' : 'updated';
    }
    return this.summarise(units, results);
  }

  private async store(batch: Kept[], units: IngestUnit[]) {
    const regions = [...new Set(batch.map((k) => k.accepted.detection.regionCode))];
    return this.access.run(RegionScope.only(regions), async (manager) => {
      const facePictures: { kept: Kept; pictures: IndexedPicture[] }[] = [];
      for (const k of batch) {
        const pictures = (units[k.unit]!.candidate.pictures ?? []).map((p, index) => ({ ...p, index }));
        if (pictures.length === 0) continue;
        // A face picture (every picture of a face detection shows the face) waits for the analysers.
        const isFace = (p: IndexedPicture) =>
          k.accepted.detection.kind === recognition.DetectionKind.DETECTION_KIND_FACE ||
          p.kind === common.MediaKind.MEDIA_KIND_FACE_CROP;
        const faces = pictures.filter(isFace);
        if (faces.length) facePictures.push({ kept: k, pictures: faces });
        const others = pictures.filter((p) => !isFace(p));
        // Pictures get ids derived from their detection: a redelivery rewrites the same ones.
        if (others.length)
          k.accepted.detection.media.push(...(await this.media.keep(manager, k.accepted.detection, others)));
      }
      const encoded = new Map<string, EncodedObservation>();
      const rows: DetectionRow[] = batch.map((k) => {
        const bytes = encodeObservation(k.accepted.detection);
        encoded.set(k.accepted.detection.id, bytes);
        return { detection: k.accepted.detection, revisedAt: k.revisedAt, payload: bytes.detection };
      });
      const outcomes = await this.repository.store(manager, rows);
      const fresh = batch.filter((k) => outcomes.has(k.accepted.detection.id));
      if (fresh.length === 0) return outcomes;
      // Only detections this insert stored are announced, so packed rows need no dedupe of their own.
      await this.outbox.addBatch(
        manager,
        fresh.map((k) =>
          observedEvent(k.accepted.detection, k.revisedAt, encoded.get(k.accepted.detection.id)!.observed),
        ),
      );
      // A match carries its face pictures as evidence: the analysers see their references, and the
      // pictures are written only for detections that matched. The detection itself never lists
      // them, and a passer-by's face is never written anywhere.
      for (const { kept, pictures } of facePictures) {
        kept.accepted.detection.media.push(...this.media.referencesOf(kept.accepted.detection, pictures));
      }
      const accepted = fresh.map((k) => k.accepted);
      for (const analyser of this.analysers) await analyser.analyse(accepted, manager);
      if (facePictures.length) {
        const matched = await this.media.matched(
          manager,
          facePictures.map((f) => f.kept.accepted.detection.id),
        );
        for (const { kept, pictures } of facePictures) {
          if (matched.has(kept.accepted.detection.id))
            await this.media.keep(manager, kept.accepted.detection, pictures, true);
        }
      }
      return outcomes;
    });
  }

  private async resolveCameras(units: IngestUnit[]): Promise<Map<string, DirectoryCamera | null>> {
    const wanted = new Map<string, [string, string]>();
    for (const { source, candidate } of units) {
      wanted.set(cameraKey(source.videoSystemId, candidate.cameraExternalId), [
        source.videoSystemId,
        candidate.cameraExternalId,
      ]);
    }
    const found = new Map<string, DirectoryCamera | null>();
    await Promise.all(
      [...wanted].map(async ([key, [system, external]]) => {
        try {
          found.set(key, await this.cameras.resolveExternal(system, external));
        } catch (error) {
          throw new CameraDirectoryUnavailableError(error);
        }
      }),
    );
    return found;
  }

  private summarise(units: IngestUnit[], results: DetectionResult[]): IngestSummary {
    const summary: IngestSummary = {
      received: units.length,
      accepted: 0,
      updated: 0,
      duplicates: 0,
      dropped: {},
      ignored: 0,
      detections: results,
    };
    const counts = new Map<string, number>();
    results.forEach((r, i) => {
      const { adapter, regionCode } = units[i]!.source;
      if (r.outcome === 'accepted') summary.accepted += 1;
      else if (r.outcome === 'updated') summary.updated += 1;
      else if (r.outcome === 'duplicate') summary.duplicates += 1;
      else if (r.reason) summary.dropped[r.reason] = (summary.dropped[r.reason] ?? 0) + 1;
      const outcome = r.outcome === 'updated' ? 'accepted' : r.outcome;
      const key = `${adapter}|${regionCode}|${outcome}|${r.reason ?? ''}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    });
    for (const [key, n] of counts) {
      const [adapter, region, outcome, reason] = key.split('|') as [string, string, string, string];
      this.ingested.inc({ adapter, region, outcome }, n);
      if (reason) this.droppedTotal.inc({ adapter, reason }, n);
    }
    return summary;
  }
}

function unknownCameraDetail(externalId: string, videoSystemId: string): string {
  return `no camera with externalId ${JSON.stringify(externalId)} is registered for video system ${videoSystemId} in its region`;
}

function cameraKey(videoSystemId: string, externalId: string) {
  return `${videoSystemId}/${externalId}`;
}

function observedEvent(
  detection: recognition.Detection,
  revisedAt: Date | null,
  payload: Uint8Array,
): OutboundEvent {
  return {
    id: revisedAt ? observationEventId(detection.id, revisedAt) : detection.id,
    topic: Topics.Detections,
    key: detection.cameraId,
    type: EventTypes.DetectionObserved,
    subject: detection.id,
    region: detection.regionCode,
    time: detection.observedAt ?? undefined,
    payload,
  };
}
