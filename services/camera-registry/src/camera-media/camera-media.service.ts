import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Outbox } from '@safecity/messaging';
import { AuditLog, MediaCredentialsSealer, RegionScope, type Principal } from '@safecity/security';
import { UnprocessableFieldException } from '@safecity/service-kit';
import type { EntityManager } from 'typeorm';
import { RegionAccess } from '../access/region-access';
import type { CameraEntity } from '../cameras/camera.entity';
import { CamerasRepository } from '../cameras/cameras.repository';
import type { CameraMediaSourceDto } from './camera-media-source.dto';
import { cameraMediaSourceChangedEvent } from './camera-media-events';
import { CameraMediaRepository, type CameraMediaSourceRow } from './camera-media.repository';

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
 * A camera's media source for the platform's analytics: set, read (without credentials) and
 * removed by administrators of its region; every change is audited and published, credentials
 * sealed, on the compacted `safecity.camera-media.v1`.
 */
@Injectable()
export class CameraMediaService {
  constructor(
    private readonly outbox: Outbox,
    private readonly access: RegionAccess,
    private readonly cameras: CamerasRepository,
    private readonly sources: CameraMediaRepository,
    private readonly audit: AuditLog,
    @Inject(MEDIA_CREDENTIALS_SEALER) private readonly sealer: MediaCredentialsSealer,
  ) {}

  async set(cameraId: string, dto: CameraMediaSourceDto, actor: Principal): Promise<CameraMediaSourceView> {
    if (!dto.rtspUrl && !dto.onvif && !dto.snapshotUrl) {
      throw new UnprocessableFieldException('rtspUrl', 'a media source needs rtspUrl, onvif or snapshotUrl');
    }
    const scope = RegionScope.of(actor);
    return this.outbox.transaction(async (tx) => {
      const m = await this.access.enter(tx, scope);
      const camera = await this.camera(m, scope, cameraId);
      if (camera.lifecycle === 'decommissioned') {
        throw new UnprocessableFieldException('cameraId', 'a decommissioned camera is not read');
      }
      const current = await this.sources.lock(m, cameraId, this.regionsOf(scope));
      const sealedCredentials =
        dto.credentials === undefined
          ? current && !current.removed
            ? current.sealedCredentials
            : null
          : dto.credentials === null
            ? null
            : this.sealer.seal(dto.credentials, cameraId);
      const saved = await this.sources.save(m, {
        cameraId,
        regionCode: camera.regionCode,
        rtspUrl: dto.rtspUrl ?? null,
        onvifMediaUrl: dto.onvif?.mediaUrl ?? null,
        onvifProfileToken: dto.onvif?.profileToken ?? null,
        snapshotUrl: dto.snapshotUrl ?? null,
        sealedCredentials,
        frameRate: dto.frameRate ?? 1,
        features: [...new Set(dto.features)],
        zones: (dto.zones ?? []).map((z) => ({
          name: z.name,
          polygon: z.polygon.map((p) => ({ x: p.x, y: p.y })),
          loiterSeconds: z.loiterSeconds ?? 0,
          intrusion: z.intrusion ?? false,
          crowdThreshold: z.crowdThreshold ?? 0,
          countVehicles: z.countVehicles ?? false,
        })),
        version: (current?.version ?? 0) + 1,
        removed: false,
      });
      await this.emit(m, camera, saved, actor, 'set');
      return toView(saved);
    });
  }

  async get(cameraId: string, scope: RegionScope): Promise<CameraMediaSourceView> {
    const row = await this.access.run(scope, async (m) => {
      await this.camera(m, scope, cameraId);
      return this.sources.find(m, cameraId, this.regionsOf(scope));
    });
    if (!row) throw new NotFoundException(`camera ${cameraId} has no media source`);
    return toView(row);
  }

  async remove(cameraId: string, actor: Principal): Promise<void> {
    const scope = RegionScope.of(actor);
    await this.outbox.transaction(async (tx) => {
      const m = await this.access.enter(tx, scope);
      const camera = await this.camera(m, scope, cameraId);
      const current = await this.sources.lock(m, cameraId, this.regionsOf(scope));
      if (!current || current.removed) throw new NotFoundException(`camera ${cameraId} has no media source`);
      // The row stays, emptied of credentials, so that a source set again continues its version.
      const saved = await this.sources.save(m, {
        ...current,
        sealedCredentials: null,
        version: current.version + 1,
        removed: true,
      });
      await this.emit(m, camera, saved, actor, 'removed');
    });
  }

  /** The caller's regions for the query's own filter, unless only row-level security is to stand (tests). */
  private regionsOf(scope: RegionScope): string[] | null {
    return scope.all || !this.access.filtering ? null : [...scope.regions];
  }

  private async camera(m: EntityManager, scope: RegionScope, id: string): Promise<CameraEntity> {
    const camera = await this.cameras.findById(m, scope, id);
    if (!camera) throw new NotFoundException(`camera ${id} not found`);
    return camera;
  }

  private async emit(
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

function toView(row: CameraMediaSourceRow): CameraMediaSourceView {
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
