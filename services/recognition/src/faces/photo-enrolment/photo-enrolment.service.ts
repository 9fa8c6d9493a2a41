import { Inject, Injectable } from '@nestjs/common';
import { RegionScope, type Principal } from '@safecity/security';
import { UnprocessableFieldException } from '@safecity/service-kit';
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
import type { EnrolSubjectDto } from '../face-entry.dto';
import { FaceMatcher } from '../face-matcher';
import type { FaceEntry } from '../face-watchlist.repository';
import { FaceWatchlistService, type FaceEntryView } from '../face-watchlist.service';
import { WatchlistsService } from '../../watchlists/watchlists.service';
import type { EnrolmentPhotoDto, EnrolSubjectFromPhotoDto } from './photo-enrolment.dto';
import { FacePhotosRepository } from './face-photos.repository';

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

export interface ReenrolmentReport {
  model: string;
  /** Entries given a template of the current model from their kept photo. */
  reenrolled: string[];
  /** Entries without a kept photo (or whose photo the current model refuses): they need a new photo. */
  needNewPhoto: string[];
}

const photoBinding = (id: string, entryId: string) => `enrolment-photo:${id}:${entryId}`;

/**
 * Enrolment from a photo: the platform finds exactly one face of enrolment quality, computes its
 * template with the current model and enrols it like any template (sealed, audited, matched from
 * the next change-feed pass). The photo is kept sealed with the entry unless `keepPhoto` is false,
 * and goes when the entry goes; no API returns it. Kept photos are what re-enrolment under a new
 * model reads.
 */
@Injectable()
export class PhotoEnrolmentService {
  constructor(
    private readonly faces: FaceWatchlistService,
    private readonly photos: FacePhotosRepository,
    private readonly matcher: FaceMatcher,
    private readonly lists: WatchlistsService,
    @Inject(FACE_MODELS) private readonly models: VisionModels,
  ) {}

  async enrol(
    watchlistId: string,
    dto: EnrolSubjectFromPhotoDto,
    actor: Principal,
  ): Promise<FaceEntryView & PhotoOutcome> {
    const { photo, keepPhoto, ...fields } = dto;
    const bytes = Buffer.from(photo, 'base64');
    const face = await this.templateOf(bytes);
    const keep = keepPhoto ?? true;
    const enrolment: EnrolSubjectDto = {
      ...fields,
      templates: [{ model: FACE_TEMPLATE_MODEL, vector: face.vector }],
    };
    const entry = await this.faces.enrol(watchlistId, enrolment, actor, (m, created) =>
      keep ? this.keep(m, created, bytes, actor) : Promise.resolve(),
    );
    return {
      ...entry,
      templateModel: FACE_TEMPLATE_MODEL,
      faceQuality: face.quality,
      photo: keep ? 'kept' : 'dropped',
    };
  }

  async addPhoto(entryId: string, dto: EnrolmentPhotoDto, actor: Principal) {
    const bytes = Buffer.from(dto.photo, 'base64');
    const face = await this.templateOf(bytes);
    const keep = dto.keepPhoto ?? true;
    const template = await this.faces.addTemplate(
      entryId,
      { model: FACE_TEMPLATE_MODEL, vector: face.vector },
      actor,
      async (m, entry) => {
        await this.photos.clearFlag(m, entry.id);
        if (keep) await this.keep(m, entry, bytes, actor);
      },
    );
    return { ...template, faceQuality: face.quality, photo: keep ? 'kept' : 'dropped' };
  }

  /**
   * After a change of face model: every live entry without a template of the current model gets
   * one from its kept photo; entries without one are flagged as needing a new photo. Runs with
   * the caller's scope (an admin's: every region).
   */
  async reenrolFromKeptPhotos(actor: Principal): Promise<ReenrolmentReport> {
    const report: ReenrolmentReport = { model: FACE_TEMPLATE_MODEL, reenrolled: [], needNewPhoto: [] };
    const pending = await this.lists.read(RegionScope.of(actor), (m) =>
      this.photos.entriesWithout(m, FACE_TEMPLATE_MODEL),
    );
    for (const entry of pending) {
      let vector: number[] | null = null;
      if (entry.photo) {
        const bytes = this.matcher.sealer.openBytes(
          entry.photo.sealed,
          photoBinding(entry.photo.id, entry.entryId),
        );
        vector = await this.templateOf(bytes)
          .then((t) => t.vector)
          .catch((error) => {
            if (error instanceof UnprocessableFieldException) return null;
            throw error;
          });
      }
      if (vector) {
        await this.faces.addTemplate(entry.entryId, { model: FACE_TEMPLATE_MODEL, vector }, actor, (m, e) =>
          this.photos.clearFlag(m, e.id),
        );
        report.reenrolled.push(entry.entryId);
      } else {
        await this.lists.change(RegionScope.of(actor), (m) =>
          this.photos.flag(m, entry.entryId, entry.regionCode, FACE_TEMPLATE_MODEL),
        );
        report.needNewPhoto.push(entry.entryId);
      }
    }
    return report;
  }

  private async templateOf(bytes: Buffer): Promise<{ vector: number[]; quality: number }> {
    let image;
    try {
      image = await readImage(bytes);
    } catch (error) {
      if (error instanceof ImageDecodeError) throw new UnprocessableFieldException('photo', error.message);
      throw error;
    }
    const analysis = await this.models.analyse(image, { faceEmbeddings: true });
    try {
      const face = enrolmentFace(image, analysis.faces);
      return { vector: Array.from(face.embedding), quality: face.quality };
    } catch (error) {
      if (error instanceof FaceEnrolmentRefusal)
        throw new UnprocessableFieldException('photo', error.message);
      throw error;
    }
  }

  private async keep(m: EntityManager, entry: FaceEntry, bytes: Buffer, actor: Principal): Promise<void> {
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
}
