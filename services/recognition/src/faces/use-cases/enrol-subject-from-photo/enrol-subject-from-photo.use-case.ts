import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { FACE_TEMPLATE_MODEL } from '@safecity/vision';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { WatchlistChanges } from '../../../watchlists/watchlist-changes';
import type { EnrolSubjectDto } from '../../face-entry.dto';
import { FaceEnrolment, type FaceEntryView } from '../../face-enrolment';
import { EnrolmentPhotos, type PhotoOutcome } from '../../photo-enrolment/enrolment-photos';
import type { EnrolSubjectFromPhoto } from './enrol-subject-from-photo.command';

/**
 * A subject enrolled from a photo showing exactly one face of enrolment quality, its template
 * computed with the current model; the photo kept sealed with the entry unless told otherwise.
 */
@Injectable()
export class EnrolSubjectFromPhotoUseCase extends UseCaseHandler<
  EnrolSubjectFromPhoto,
  FaceEntryView & PhotoOutcome
> {
  constructor(
    private readonly enrolment: FaceEnrolment,
    private readonly photos: EnrolmentPhotos,
    private readonly changes: WatchlistChanges,
  ) {
    super();
  }

  @UseCase(P.enrolFromPhoto)
  async execute({
    actor,
    watchlistId,
    subject,
  }: EnrolSubjectFromPhoto): Promise<FaceEntryView & PhotoOutcome> {
    const scope = RegionScope.of(actor);
    const { photo, keepPhoto, ...fields } = subject;
    const bytes = Buffer.from(photo, 'base64');
    const face = await this.photos.templateOf(bytes);
    const keep = keepPhoto ?? true;
    const enrolment: EnrolSubjectDto = {
      ...fields,
      templates: [{ model: FACE_TEMPLATE_MODEL, vector: face.vector }],
    };
    this.enrolment.checkSubject(enrolment);
    const entry = await this.changes.change(scope, async (m) => {
      const created = await this.enrolment.enrol(m, scope, actor, watchlistId, enrolment);
      if (keep) await this.photos.keep(m, created, bytes, actor);
      return created;
    });
    return {
      ...entry,
      templateModel: FACE_TEMPLATE_MODEL,
      faceQuality: face.quality,
      photo: keep ? 'kept' : 'dropped',
    };
  }
}
