import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import {
  enrolmentFace,
  FACE_TEMPLATE_MODEL,
  FaceEnrolmentRefusal,
  ImageDecodeError,
  readImage,
  type VisionModels,
} from '@safecity/vision';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { FaceMatcher } from '../face-matcher';
import type { FaceEntry } from '../face-watchlist.repository';
import { FacePhotosRepository, type KeptPhoto } from './face-photos.repository';

/** The face models of this process (VisionModels.shared() in the service; loaded on first use). */
export const FACE_MODELS = Symbol('FACE_MODELS');

export interface PhotoOutcome {
  /** Model tag of the template computed from the photo. */
  templateModel: string;
  /** Quality of the face, 0..1 (see the enrolment gate). */
  faceQuality: number;
  /** Whether the photo was kept (sealed, with the entry) or dropped. */
  photo: 'kept' | 'dropped';
}

const photoBinding = (id: string, entryId: string) => `enrolment-photo:${id}:${entryId}`;

/**
 * Enrolment photos: the platform finds exactly one face of enrolment quality and computes its
 * template with the current model. A photo is kept sealed with its entry (and goes when the entry
 * goes); no API returns it. Kept photos are what re-enrolment under a new model reads.
 */
@Injectable()
export class EnrolmentPhotos {
  constructor(
    private readonly photos: FacePhotosRepository,
    private readonly matcher: FaceMatcher,
    @Inject(FACE_MODELS) private readonly models: VisionModels,
  ) {}

  /** The template of the photo's one face; refused (field `photo`) when there is not exactly one usable face. */
  async templateOf(bytes: Buffer): Promise<{ vector: number[]; quality: number }> {
    let image;
    try {
      image = await readImage(bytes);
    } catch (error) {
      if (error instanceof ImageDecodeError)
        throw new InvalidError({ field: 'photo', reason: error.message });
      throw error;
    }
    const analysis = await this.models.analyse(image, { faceEmbeddings: true });
    try {
      const face = enrolmentFace(image, analysis.faces);
      return { vector: Array.from(face.embedding), quality: face.quality };
    } catch (error) {
      if (error instanceof FaceEnrolmentRefusal)
        throw new InvalidError({ field: 'photo', reason: error.message });
      throw error;
    }
  }

  /** Keeps the photo sealed with the entry, in the transaction that enrolled it. */
  async keep(m: EntityManager, entry: FaceEntry, bytes: Buffer, actor: Principal): Promise<void> {
    const id = randomUUID();
    await this.photos.keep(
      m,
      {
        id,
        entryId: entry.id,
        regionCode: entry.regionCode,
        sealed: this.matcher.sealer.sealBytes(bytes, photoBinding(id, entry.id)),
        templateModel: FACE_TEMPLATE_MODEL,
      },
      actor.subject,
    );
  }

  /** The bytes of a kept photo. */
  open(photo: KeptPhoto, entryId: string): Buffer {
    return this.matcher.sealer.openBytes(photo.sealed, photoBinding(photo.id, entryId));
  }
}
