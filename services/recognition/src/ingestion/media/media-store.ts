import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { common, type recognition } from '@safecity/contracts';
import { RegionScope, ScopedTransaction } from '@safecity/security';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataSource, EntityManager } from 'typeorm';
import { RECOGNITION_SCHEMA } from '../../schema';
import type { DetectionCandidate } from '../candidate';
import { INGESTION_SETTINGS, type IngestionSettings } from '../ingestion-settings';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PICTURE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);

export interface StoredPicture {
  id: string;
  regionCode: string;
  contentType: string;
  bytes: Buffer;
}

/**
 * Pictures that vendors upload with their events (Hikvision multipart) instead of referencing by
 * URI. Kept on local disk in a directory of their own, bounded in total size and in age: the
 * oldest go first when the store is full, and every picture goes after its retention. Detections
 * (and Kafka messages) carry only the picture's URI, never its bytes.
 */
@Injectable()
export class MediaStore implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('MediaStore');
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource(RECOGNITION_SCHEMA) private readonly dataSource: DataSource,
    @Inject(INGESTION_SETTINGS) private readonly settings: IngestionSettings,
  ) {}

  private get directory() {
    return this.settings.media.directory;
  }

  onApplicationBootstrap() {
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
   * Ids derive from the detection, so a redelivered event rewrites the same files and rows.
   * Pictures over the size cap or of other types are left out.
   */
  async keep(
    manager: EntityManager,
    detection: recognition.Detection,
    pictures: NonNullable<DetectionCandidate['pictures']>,
  ): Promise<common.MediaRef[]> {
    await mkdir(this.directory, { recursive: true });
    const refs: common.MediaRef[] = [];
    for (const [index, picture] of pictures.entries()) {
      if (picture.bytes.length > this.settings.media.maxPictureBytes) continue;
      if (!PICTURE_TYPES.has(picture.contentType)) continue;
      const id = pictureId(detection.id, index);
      await writeFile(join(this.directory, id), picture.bytes);
      await manager.query(
        `INSERT INTO media_objects (id, region_code, video_system_id, detection_id, content_type, size_bytes)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
        [
          id,
          detection.regionCode,
          detection.videoSystemId,
          detection.id,
          picture.contentType,
          picture.bytes.length,
        ],
      );
      refs.push({
        kind: picture.kind,
        uri: `/media/${id}`,
        contentType: picture.contentType,
        capturedAt: detection.observedAt,
        expiresAt: new Date(Date.now() + this.settings.media.retentionHours * 3_600_000),
      });
    }
    return refs;
  }

  /** A picture in the scope's regions, or null. */
  async read(id: string, scope: RegionScope): Promise<StoredPicture | null> {
    if (!UUID.test(id)) return null;
    const rows: { region_code: string; content_type: string }[] = await ScopedTransaction.run(
      this.dataSource,
      scope,
      ({ manager }) =>
        manager.query(
          `SELECT region_code, content_type FROM media_objects
           WHERE id = $1 AND ($2::text[] IS NULL OR region_code = ANY($2::text[]))`,
          [id, scope.all ? null : [...scope.regions]],
        ),
    );
    const row = rows[0];
    if (!row) return null;
    try {
      const bytes = await readFile(join(this.directory, id));
      return { id, regionCode: row.region_code, contentType: row.content_type, bytes };
    } catch {
      return null;
    }
  }

  /**
   * Erases pictures past their retention, then the oldest ones while the store is over its size
   * cap. Rows go first, inside a transaction; files follow once it committed.
   */
  async sweep(): Promise<{ expired: number; evicted: number }> {
    const { retentionHours, maxTotalBytes } = this.settings.media;
    const removed = await ScopedTransaction.run(
      this.dataSource,
      RegionScope.allRegions(),
      async ({ manager }) => {
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
      },
    );
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

function pictureId(detectionIdValue: string, index: number): string {
  const hex = createHash('sha256').update(`picture\0${detectionIdValue}\0${index}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
