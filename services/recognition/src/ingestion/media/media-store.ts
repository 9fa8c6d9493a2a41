import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { common, type recognition, isUuid, derivedUuid } from '@safecity/contracts';
import {
  AuditLog,
  hasAnyRole,
  RegionScope,
  RegionAccess,
  type Principal,
  type Role,
} from '@safecity/security';
import { chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataSource, EntityManager } from 'typeorm';
import { RECOGNITION_SCHEMA } from '../../schema';
import type { DetectionCandidate } from '../candidate';
import { INGESTION_SETTINGS, type IngestionSettings } from '../ingestion-settings';

const PICTURE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);

export interface StoredPicture {
  id: string;
  regionCode: string;
  contentType: string;
  bytes: Buffer;
}

/** Pictures as an adapter delivers them, each with its index in the event (which names its file). */
export type IndexedPicture = NonNullable<DetectionCandidate['pictures']>[number] & { index: number };

/**
 * Who may read a face picture: those who verify face matches. Analysts see no face matches,
 * region admins manage systems, not matches.
 */
export const FACE_PICTURE_READERS: readonly Role[] = ['admin', 'operator', 'supervisor'];

/**
 * Pictures that vendors upload with their events (Hikvision multipart) instead of referencing by
 * URI. Kept on local disk in a directory of their own (only the service's user may read it: files
 * 0600, the directory 0700), bounded in total size and in age: the oldest go first when the store
 * is full, and every picture goes after its retention. Detections (and Kafka messages) carry only
 * the picture's URI, never its bytes. A face picture is biometric: it is kept only as the evidence
 * of a match (`biometric`), never for a passer-by who matched nothing. Every read is audited.
 */
@Injectable()
export class MediaStore implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('MediaStore');
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource(RECOGNITION_SCHEMA) private readonly dataSource: DataSource,
    @Inject(INGESTION_SETTINGS) private readonly settings: IngestionSettings,
    private readonly audit: AuditLog,
    private readonly access: RegionAccess,
  ) {}

  private get directory() {
    return this.settings.media.directory;
  }

  async onApplicationBootstrap() {
    await this.removeOrphans().catch((error: unknown) =>
      this.logger.error(`media store check failed: ${String(error)}`),
    );
    this.timer = setInterval(() => {
      this.sweep().catch((error: unknown) => this.logger.error(`media sweep failed: ${String(error)}`));
    }, 60_000);
    this.timer.unref();
  }

  onApplicationShutdown() {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * Keeps a detection's pictures inside the caller's transaction and answers their references.
   * Ids derive from the detection and the picture's index, so a redelivered event rewrites the
   * same files and rows. Pictures over the size cap or of other types are left out. `biometric`
   * marks face pictures, which only face-match reviewers may read.
   */
  async keep(
    manager: EntityManager,
    detection: recognition.Detection,
    pictures: readonly IndexedPicture[],
    biometric = false,
  ): Promise<common.MediaRef[]> {
    const refs = this.referencesOf(detection, pictures);
    if (refs.length === 0) return refs;
    await this.ensureDirectory();
    for (const picture of this.acceptable(pictures)) {
      const id = pictureId(detection.id, picture.index);
      await writeFile(join(this.directory, id), picture.bytes, { mode: 0o600 });
      await manager.query(
        `INSERT INTO media_objects (id, region_code, video_system_id, detection_id, content_type, size_bytes, biometric)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
        [
          id,
          detection.regionCode,
          detection.videoSystemId,
          detection.id,
          picture.contentType,
          picture.bytes.length,
          biometric,
        ],
      );
    }
    return refs;
  }

  /** The references `keep` would answer for these pictures, without keeping anything. */
  referencesOf(detection: recognition.Detection, pictures: readonly IndexedPicture[]): common.MediaRef[] {
    return this.acceptable(pictures).map((picture) => ({
      kind: picture.kind,
      uri: `/media/${pictureId(detection.id, picture.index)}`,
      contentType: picture.contentType,
      capturedAt: detection.observedAt,
      expiresAt: new Date(Date.now() + this.settings.media.retentionHours * 3_600_000),
    }));
  }

  private acceptable(pictures: readonly IndexedPicture[]): IndexedPicture[] {
    return pictures.filter(
      (p) => p.bytes.length <= this.settings.media.maxPictureBytes && PICTURE_TYPES.has(p.contentType),
    );
  }

  private async ensureDirectory() {
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    await chmod(this.directory, 0o700);
  }

  /**
   * A picture in the reader's regions that the reader may see, or null (a face picture is
   * answered to others exactly as a missing one). Every picture handed out is in the audit log.
   */
  async read(id: string, reader: Principal, purpose: string): Promise<StoredPicture | null> {
    if (!isUuid(id, { lowerCase: true })) return null;
    const scope = RegionScope.of(reader);
    const mayReadFaces = hasAnyRole(reader, FACE_PICTURE_READERS);
    return this.access.run(scope, async (manager) => {
      const rows: { region_code: string; content_type: string; biometric: boolean; detection_id: string }[] =
        await manager.query(
          `SELECT region_code, content_type, biometric, detection_id FROM media_objects
           WHERE id = $1 AND ($2::text[] IS NULL OR region_code = ANY($2::text[]))`,
          [id, scope.all ? null : [...scope.regions]],
        );
      const row = rows[0];
      if (!row || (row.biometric && !mayReadFaces)) return null;
      let bytes: Buffer;
      try {
        bytes = await readFile(join(this.directory, id));
      } catch {
        return null;
      }
      await this.audit.record(manager, {
        actor: reader,
        action: 'read',
        objectType: 'media',
        objectId: id,
        regionCode: row.region_code,
        purpose,
        legalBasis: row.biometric
          ? 'verification of a face match by the operations center'
          : 'operations center review of a detection',
        details: { detectionId: row.detection_id, biometric: row.biometric },
      });
      return { id, regionCode: row.region_code, contentType: row.content_type, bytes };
    });
  }

  /** Files without a row (erased while the service was down, or by a migration) are removed. */
  private async removeOrphans(): Promise<void> {
    let names: string[];
    try {
      names = (await readdir(this.directory)).filter((name) => isUuid(name, { lowerCase: true }));
    } catch {
      return;
    }
    await chmod(this.directory, 0o700);
    if (names.length === 0) return;
    const known: { id: string }[] = await this.access.run(RegionScope.allRegions(), (manager) =>
      manager.query('SELECT id::text FROM media_objects WHERE id = ANY($1::uuid[])', [names]),
    );
    const kept = new Set(known.map((r) => r.id));
    for (const name of names) if (!kept.has(name)) await rm(join(this.directory, name), { force: true });
  }

  /** Of these detections, the ones that raised a match in this transaction or before. */
  async matched(manager: EntityManager, detectionIds: string[]): Promise<Set<string>> {
    if (detectionIds.length === 0) return new Set();
    const rows: { detection_id: string }[] = await manager.query(
      'SELECT DISTINCT detection_id FROM matches WHERE detection_id = ANY($1::text[])',
      [detectionIds],
    );
    return new Set(rows.map((r) => r.detection_id));
  }

  /**
   * Erases pictures past their retention, then the oldest ones while the store is over its size
   * cap. Rows go first, inside a transaction; files follow once it committed.
   */
  async sweep(): Promise<{ expired: number; evicted: number }> {
    const { retentionHours, maxTotalBytes } = this.settings.media;
    const removed = await this.access.run(RegionScope.allRegions(), async (manager) => {
      const expired = await deleted(
        manager,
        `DELETE FROM media_objects WHERE stored_at < now() - make_interval(hours => $1) RETURNING id`,
        [retentionHours],
      );
      const evicted = await deleted(
        manager,
        `DELETE FROM media_objects WHERE id IN (
           SELECT id FROM (
             SELECT id, sum(size_bytes) OVER (ORDER BY stored_at DESC, id DESC) AS newer_total FROM media_objects
           ) ranked WHERE newer_total > $1)
         RETURNING id`,
        [maxTotalBytes],
      );
      return { expired: expired.map((r) => r.id), evicted: evicted.map((r) => r.id) };
    });
    for (const id of [...removed.expired, ...removed.evicted]) {
      await rm(join(this.directory, id), { force: true });
    }
    return { expired: removed.expired.length, evicted: removed.evicted.length };
  }
}

/** Ids a DELETE … RETURNING removed (TypeORM answers such a query with [rows, count]). */
async function deleted(
  manager: EntityManager,
  sql: string,
  parameters: unknown[],
): Promise<{ id: string }[]> {
  const result = (await manager.query(sql, parameters)) as [{ id: string }[], number] | { id: string }[];
  return Array.isArray(result[0]) ? (result[0] as { id: string }[]) : (result as { id: string }[]);
}

/** A picture's id, which names its file: the layout of the ids issued since pictures were first kept. */
function pictureId(detectionIdValue: string, index: number): string {
  return derivedUuid(`picture\0${detectionIdValue}\0${index}`, 'sha256-version-5-variant-a');
}
