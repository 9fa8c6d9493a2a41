import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import { FACE_TEMPLATE_MODEL } from '@safecity/vision';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { WatchlistChanges } from '../../../watchlists/watchlist-changes';
import { FaceEnrolment } from '../../face-enrolment';
import { EnrolmentPhotos } from '../../photo-enrolment/enrolment-photos';
import { FacePhotosRepository } from '../../photo-enrolment/face-photos.repository';
import type { ReenrolFaceEntries } from './reenrol-face-entries.command';

export interface ReenrolmentReport {
  model: string;
  /** Entries given a template of the current model from their kept photo. */
  reenrolled: string[];
  /** Entries without a kept photo (or whose photo the current model refuses): they need a new photo. */
  needNewPhoto: string[];
}

/**
 * After a change of face model: every live entry without a template of the current model gets
 * one from its kept photo; entries without one are flagged as needing a new photo. The photos
 * are read and analysed first, outside any transaction (the model is slow); what they yield is
 * written in one. A run again finds only what is still missing.
 */
@Injectable()
export class ReenrolFaceEntriesUseCase extends UseCaseHandler<ReenrolFaceEntries, ReenrolmentReport> {
  constructor(
    private readonly enrolment: FaceEnrolment,
    private readonly photos: EnrolmentPhotos,
    private readonly flags: FacePhotosRepository,
    private readonly changes: WatchlistChanges,
  ) {
    super();
  }

  @UseCase(P.reenrolFaceEntries)
  async execute({ actor }: ReenrolFaceEntries): Promise<ReenrolmentReport> {
    const scope = RegionScope.of(actor);
    const pending = await this.changes.read(scope, (m) => this.flags.entriesWithout(m, FACE_TEMPLATE_MODEL));
    const outcomes: { entryId: string; regionCode: string; vector: number[] | null }[] = [];
    for (const entry of pending) {
      const vector = entry.photo
        ? await this.photos
            .templateOf(this.photos.open(entry.photo, entry.entryId))
            .then((t) => t.vector)
            .catch((error) => {
              if (error instanceof InvalidError) return null;
              throw error;
            })
        : null;
      outcomes.push({ entryId: entry.entryId, regionCode: entry.regionCode, vector });
    }
    const report: ReenrolmentReport = { model: FACE_TEMPLATE_MODEL, reenrolled: [], needNewPhoto: [] };
    if (outcomes.length === 0) return report;
    await this.changes.change(scope, async (m) => {
      for (const { entryId, regionCode, vector } of outcomes) {
        if (vector) {
          const entry = await this.enrolment.entryOf(m, scope, entryId);
          await this.enrolment.addTemplate(m, actor, entry, { model: FACE_TEMPLATE_MODEL, vector });
          await this.flags.clearFlag(m, entryId);
          report.reenrolled.push(entryId);
        } else {
          await this.flags.flag(m, entryId, regionCode, FACE_TEMPLATE_MODEL);
          report.needNewPhoto.push(entryId);
        }
      }
    });
    return report;
  }
}
