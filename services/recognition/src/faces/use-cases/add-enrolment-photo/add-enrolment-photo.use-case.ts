import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { FACE_TEMPLATE_MODEL } from '@safecity/vision';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { WatchlistChanges } from '../../../watchlists/watchlist-changes';
import { FaceEnrolment } from '../../face-enrolment';
import type { TemplateInfo } from '../../face-watchlist.repository';
import { EnrolmentPhotos, type PhotoOutcome } from '../../photo-enrolment/enrolment-photos';
import { FacePhotosRepository } from '../../photo-enrolment/face-photos.repository';
import type { AddEnrolmentPhoto } from './add-enrolment-photo.command';

/** A template of the current model from a new photo; the subject no longer waits for one. */
@Injectable()
export class AddEnrolmentPhotoUseCase extends UseCaseHandler<
  AddEnrolmentPhoto,
  TemplateInfo & Omit<PhotoOutcome, 'templateModel'>
> {
  constructor(
    private readonly enrolment: FaceEnrolment,
    private readonly photos: EnrolmentPhotos,
    private readonly flags: FacePhotosRepository,
    private readonly changes: WatchlistChanges,
  ) {
    super();
  }

  @UseCase(P.enrolFromPhoto)
  async execute({
    actor,
    entryId,
    photo,
  }: AddEnrolmentPhoto): Promise<TemplateInfo & Omit<PhotoOutcome, 'templateModel'>> {
    const scope = RegionScope.of(actor);
    const bytes = Buffer.from(photo.photo, 'base64');
    const face = await this.photos.templateOf(bytes);
    const keep = photo.keepPhoto ?? true;
    const template = { model: FACE_TEMPLATE_MODEL, vector: face.vector };
    this.enrolment.checkTemplate(template);
    const info = await this.changes.change(scope, async (m) => {
      const entry = await this.enrolment.entryOf(m, scope, entryId);
      const added = await this.enrolment.addTemplate(m, actor, entry, template);
      await this.flags.clearFlag(m, entry.id);
      if (keep) await this.photos.keep(m, entry, bytes, actor);
      return added;
    });
    return { ...info, faceQuality: face.quality, photo: keep ? 'kept' : 'dropped' };
  }
}
