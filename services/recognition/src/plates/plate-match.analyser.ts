import { Injectable } from '@nestjs/common';
import { recognition, derivedUuid } from '@safecity/contracts';
import type { EntityManager } from 'typeorm';
import { MatchRaiser } from '../matches/match-raiser';
import type { AcceptedDetection, DetectionAnalyser } from '../pipeline/detection-analysis';
import { HotlistReasonNames, type PlateMatchKind } from './plate-hotlist-index';
import { PlateHotlistMatcher, type ScoredPlateHit } from './plate-hotlist.matcher';

const MATCH_KIND: Record<PlateMatchKind, recognition.PlateMatchKind> = {
  exact: recognition.PlateMatchKind.PLATE_MATCH_KIND_EXACT,
  confusable: recognition.PlateMatchKind.PLATE_MATCH_KIND_CONFUSABLE,
  'one-edit': recognition.PlateMatchKind.PLATE_MATCH_KIND_ONE_EDIT,
};

/** Plate readings against the hotlists of the camera's region and the national ones. */
@Injectable()
export class PlateMatchAnalyser implements DetectionAnalyser {
  readonly name = 'plate-hotlists';

  constructor(
    private readonly hotlists: PlateHotlistMatcher,
    private readonly matches: MatchRaiser,
  ) {}

  async analyse(batch: readonly AcceptedDetection[], manager: EntityManager): Promise<void> {
    for (const accepted of batch) {
      const plate = accepted.detection.plate;
      if (!plate?.text) continue;
      const hits = this.hotlists.match(plate.text, plate.confidence, accepted.camera.regionCode);
      if (hits.length === 0) continue;
      await this.matches.raise(manager, {
        message: { kind: 'plate', match: plateMatch(accepted, hits, new Date()) },
        watchlistIds: hits.map((h) => h.entry.watchlistId),
        entryIds: hits.map((h) => h.entry.id),
      });
    }
  }
}

export function plateMatch(
  { detection, camera }: AcceptedDetection,
  hits: readonly ScoredPlateHit[],
  matchedAt: Date,
): recognition.PlateMatch {
  return {
    id: derivedUuid(`plate-match:${detection.id}`),
    detectionId: detection.id,
    cameraId: camera.id,
    videoSystemId: camera.videoSystemId,
    regionCode: camera.regionCode,
    location: detection.location ?? { lat: camera.lat, lon: camera.lon },
    observedAt: detection.observedAt ?? detection.receivedAt ?? matchedAt,
    matchedAt,
    plate: detection.plate ?? null,
    candidates: hits.map((hit) => ({
      hotlistId: hit.entry.watchlistId,
      entryId: hit.entry.id,
      listedText: hit.entry.plate,
      listedCountry: hit.entry.country,
      reason: HotlistReasonNames.fromName(hit.entry.reason) ?? recognition.HotlistReason.HOTLIST_REASON_OTHER,
      score: hit.score,
      legalBasisRef: hit.entry.legalBasis,
      matchKind: MATCH_KIND[hit.kind],
      priority: hit.entry.priority,
    })),
    status: recognition.MatchStatus.MATCH_STATUS_PENDING_VERIFICATION,
    verifications: [],
    media: detection.media ?? [],
  };
}
