import { Injectable } from '@nestjs/common';
import { Outbox } from '@safecity/messaging';
import { AuditLog, type Principal, RegionAccess, type RegionScope } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import type { EntityManager } from 'typeorm';
import type { CameraEntity } from '../cameras/camera.entity';
import { CamerasRepository } from '../cameras/cameras.repository';
import { cameraMediaSourceChangedEvent } from './camera-media-events';
import type { CameraMediaSourceRow } from './camera-media.repository';

export const MEDIA_CREDENTIALS_SEALER = Symbol('MEDIA_CREDENTIALS_SEALER');

/** What the API shows of a media source: everything but the credentials, of which only whether there are any. */
export interface CameraMediaSourceView {
  cameraId: string;
  rtspUrl: string | null;
  onvif: { mediaUrl: string; profileToken: string } | null;
  snapshotUrl: string | null;
  hasCredentials: boolean;
  frameRate: number;
  features: string[];
  zones: CameraMediaSourceRow['zones'];
  version: number;
  updatedAt: Date;
}

/**
 * What setting, reading and removing a camera's media source share: the camera of the caller's
 * regions, the query's region filter, and the change's event and audit record.
 */
@Injectable()
export class CameraMediaSources {
  constructor(
    private readonly outbox: Outbox,
    private readonly access: RegionAccess,
    private readonly cameras: CamerasRepository,
    private readonly audit: AuditLog,
  ) {}

  /** The caller's regions for the query's own filter, unless only row-level security is to stand (tests). */
  regionsOf(scope: RegionScope): string[] | null {
    return scope.all || !this.access.filtering ? null : [...scope.regions];
  }

  /** The camera of the caller's regions; another region's is not found. */
  async camera(m: EntityManager, scope: RegionScope, id: string): Promise<CameraEntity> {
    const camera = await this.cameras.findById(m, scope, id);
    if (!camera) throw new NotFoundError(`camera ${id} not found`);
    return camera;
  }

  /** The change on `safecity.camera-media.v1` (credentials sealed) and its audit record. */
  async record(
    m: EntityManager,
    camera: CameraEntity,
    row: CameraMediaSourceRow,
    actor: Principal,
    change: 'set' | 'removed',
  ) {
    await this.outbox.add(m, cameraMediaSourceChangedEvent(camera, row));
    await this.audit.record(m, {
      actor,
      action: 'update',
      objectType: 'camera',
      objectId: camera.id,
      regionCode: camera.regionCode,
      details: {
        mediaSource: change,
        version: row.version,
        hasCredentials: row.sealedCredentials !== null,
        features: row.features,
      },
    });
  }
}

/** The API's view of a stored source. */
export function toView(row: CameraMediaSourceRow): CameraMediaSourceView {
  return {
    cameraId: row.cameraId,
    rtspUrl: row.rtspUrl,
    onvif: row.onvifMediaUrl
      ? { mediaUrl: row.onvifMediaUrl, profileToken: row.onvifProfileToken ?? '' }
      : null,
    snapshotUrl: row.snapshotUrl,
    hasCredentials: row.sealedCredentials !== null,
    frameRate: row.frameRate,
    features: row.features,
    zones: row.zones,
    version: row.version,
    updatedAt: row.updatedAt,
  };
}
