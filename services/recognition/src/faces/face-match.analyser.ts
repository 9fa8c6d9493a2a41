import { Injectable } from '@nestjs/common';
import { recognition } from '@safecity/contracts';
import type { EntityManager } from 'typeorm';
import { derivedId } from '../matches/match-messages';
import { REQUIRED_CONFIRMATIONS } from '../matches/match-verification';
import { MatchesService } from '../matches/matches.service';
import type { AcceptedDetection, DetectionAnalyser } from '../pipeline/detection-analysis';
import { FaceTemplateStore } from '../pipeline/face-template-store';
import type { FaceCategory } from '../watchlists/watchlist';
import { FaceMatcher, type FaceHit } from './face-matcher';

const CATEGORY: Record<FaceCategory, recognition.WatchlistCategory> = {
  wanted: recognition.WatchlistCategory.WATCHLIST_CATEGORY_WANTED,
  'missing-person': recognition.WatchlistCategory.WATCHLIST_CATEGORY_MISSING_PERSON,
  'court-order': recognition.WatchlistCategory.WATCHLIST_CATEGORY_COURT_ORDER,
  other: recognition.WatchlistCategory.WATCHLIST_CATEGORY_OTHER,
};

/**
 * Faces against the watchlists of the camera's region and the national ones. The probe template
 * is taken out of the template store, which erases it there, and lives only in this call: a face
 * that matches nothing leaves no trace, and a match keeps the scores, never the probe.
 */
@Injectable()
export class FaceMatchAnalyser implements DetectionAnalyser {
  readonly name = 'face-watchlists';

  constructor(
    private readonly templates: FaceTemplateStore,
    private readonly watchlists: FaceMatcher,
    private readonly matches: MatchesService,
  ) {}

  async analyse(batch: readonly AcceptedDetection[], manager: EntityManager): Promise<void> {
    for (const accepted of batch) {
      const face = accepted.detection.face;
      if (!face?.templateRef) continue;
      const probe = this.templates.take(face.templateRef);
      // Same-model templates only: a probe labelled with another model than its observation is no probe.
      if (!probe || probe.model !== face.templateModel) continue;
      const hits = this.watchlists.match(probe, accepted.camera.regionCode);
      if (hits.length === 0) continue;
      await this.matches.raise(manager, {
        message: { kind: 'face', match: faceMatch(accepted, probe.model, hits, new Date()) },
        watchlistIds: hits.map((h) => h.entry.watchlistId),
        entryIds: hits.map((h) => h.entry.id),
      });
    }
  }
}

export function faceMatch(
  { detection, camera }: AcceptedDetection,
  model: string,
  hits: readonly FaceHit[],
  matchedAt: Date,
): recognition.FaceMatch {
  return {
    id: derivedId(`face-match:${detection.id}`),
    detectionId: detection.id,
    cameraId: camera.id,
    videoSystemId: camera.videoSystemId,
    regionCode: camera.regionCode,
    location: detection.location ?? { lat: camera.lat, lon: camera.lon },
    observedAt: detection.observedAt ?? detection.receivedAt ?? matchedAt,
    matchedAt,
    // The probe was erased when it was taken; there is nothing to refer to.
    probeTemplateRef: '',
    templateModel: model,
    threshold: hits[0].threshold,
    candidates: hits.map((hit, i) => ({
      watchlistId: hit.entry.watchlistId,
      entryId: hit.entry.id,
      subjectRef: hit.entry.subjectRef,
      category: CATEGORY[hit.category],
      score: hit.score,
      rank: i + 1,
      legalBasisRef: hit.entry.legalBasis,
    })),
    status: recognition.MatchStatus.MATCH_STATUS_PENDING_VERIFICATION,
    requiredConfirmations: REQUIRED_CONFIRMATIONS.face,
    verifications: [],
    media: detection.media ?? [],
  };
}
