import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { cameras } from '@safecity/contracts';
import type { DataSource } from 'typeorm';
import { VIDEO_ANALYTICS_SCHEMA } from '../schema';
import { fromMessage, type CameraSource } from './camera-source';

/** The read model of `safecity.camera-media.v1`: the highest version of each camera's source wins. */
@Injectable()
export class CameraSourcesRepository {
  constructor(@InjectDataSource(VIDEO_ANALYTICS_SCHEMA) private readonly db: DataSource) {}

  /** True when the change was newer than what was stored. */
  async apply(change: cameras.CameraMediaSourceChanged): Promise<boolean> {
    const encoded = change.source
      ? Buffer.from(cameras.CameraMediaSource.encode(change.source).finish())
      : null;
    const rows: unknown[] = await this.db.query(
      `INSERT INTO video_analytics.camera_sources (camera_id, version, removed, source, updated_at)
       VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (camera_id) DO UPDATE SET version = EXCLUDED.version, removed = EXCLUDED.removed,
         source = EXCLUDED.source, updated_at = now()
       WHERE camera_sources.version < EXCLUDED.version
       RETURNING camera_id`,
      [change.cameraId, Number(change.version), change.removed, change.removed ? null : encoded],
    );
    return rows.length > 0;
  }

  async all(): Promise<CameraSource[]> {
    const rows: { source: Buffer }[] = await this.db.query(
      `SELECT source FROM video_analytics.camera_sources WHERE NOT removed AND source IS NOT NULL`,
    );
    return rows.map((r) => fromMessage(cameras.CameraMediaSource.decode(r.source)));
  }
}
