import { Injectable } from '@nestjs/common';
import { recognition, derivedUuid } from '@safecity/contracts';
import { UnitOfWork } from '@safecity/persistence';
import type { EntityManager } from 'typeorm';
import { REQUIRED_CONFIRMATIONS } from '../matches/match-verification';
import { MatchRaiser } from '../matches/match-raiser';
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
 * is read from the memory-only template store and never written anywhere: a face that matches
 * nothing leaves no trace, and a match keeps the scores, never the probe. It is erased from the
 * store once the transaction analysing it commits, not before: a batch whose transaction fails is
 * retried with its probes still there, so a true match is not lost with the first attempt. When
 * the batch fails for good, ingestion discards its probes, and the store's time to live erases
 * whatever nobody does.
 */
@Injectable()
export class FaceMatchAnalyser implements DetectionAnalyser {
  readonly name = 'face-watchlists';

  constructor(
    private readonly templates: FaceTemplateStore,
    private readonly watchlists: FaceMatcher,
    private readonly matches: MatchRaiser,
    private readonly unit: UnitOfWork,
  ) {}

  async analyse(batch: readonly AcceptedDetection[], manager: EntityManager): Promise<void> {
    for (const accepted of batch) {
      const face = accepted.detection.face;
      if (!face?.templateRef) continue;
      const probe = this.templates.peek(face.templateRef);
      if (probe) this.eraseOnCommit(face.templateRef);
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

  private eraseOnCommit(ref: string): void {
    // Outside a unit of work there is nothing to retry: the probe has served.
    if (!this.unit.active) return this.templates.discard(ref);
    this.unit.afterCommit(() => this.templates.discard(ref));
  }
}

export function faceMatch(
  { detection, camera }: AcceptedDetection,
  model: string,
  hits: readonly FaceHit[],
  matchedAt: Date,
): recognition.FaceMatch {
  return {
    id: derivedUuid(`face-match:${detection.id}`),
    detectionId: detection.id,
    cameraId: camera.id,
    videoSystemId: camera.videoSystemId,
    regionCode: camera.regionCode,
    location: detection.location ?? { lat: camera.lat, lon: camera.lon },
    observedAt: detection.observedAt ?? detection.receivedAt ?? matchedAt,
    matchedAt,
    // The probe is erased once the match commits; there is nothing lasting to refer to.
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
