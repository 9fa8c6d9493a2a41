import { Injectable } from '@nestjs/common';
import { CameraChangeKind } from '@safecity/contracts';
import { Outbox } from '@safecity/messaging';
import { AuditLog, type Principal, RegionAccess, RegionScope } from '@safecity/security';
import { NotFoundError, UnprocessableFieldException } from '@safecity/service-kit';
import type { EntityManager } from 'typeorm';
import { locationProblem } from '../regions/regions';
import { RegionsRepository } from '../regions/regions.repository';
import type { CameraEntity } from './camera.entity';
import { cameraChangedEvent, type CameraChange } from './camera-events';
import { CameraLookupCache } from './camera-lookup.cache';
import { CamerasRepository } from './cameras.repository';
import type { CameraFieldsDto } from './dto/camera.dto';

const AUDIT_ACTION: Record<CameraChange, 'create' | 'update'> = {
  [CameraChangeKind.CAMERA_CHANGE_KIND_REGISTERED]: 'create',
  [CameraChangeKind.CAMERA_CHANGE_KIND_UPDATED]: 'update',
  [CameraChangeKind.CAMERA_CHANGE_KIND_DECOMMISSIONED]: 'update',
};

/**
 * What registering, updating and decommissioning a camera share: the checks of where it stands,
 * and the change itself with its event, its audit record and the lookup cache told, in one
 * transaction.
 */
@Injectable()
export class CameraChanges {
  constructor(
    private readonly cameras: CamerasRepository,
    private readonly outbox: Outbox,
    private readonly regions: RegionsRepository,
    private readonly lookups: CameraLookupCache,
    private readonly access: RegionAccess,
    private readonly audit: AuditLog,
  ) {}

  /** Locks the camera of the caller's regions, applies the change and records it. */
  change(
    id: string,
    actor: Principal,
    apply: (camera: CameraEntity) => CameraChange | Promise<CameraChange>,
  ): Promise<CameraEntity> {
    const scope = RegionScope.of(actor);
    return this.access.run(scope, async (manager) => {
      const camera = await this.cameras.lockById(manager, scope, id);
      if (!camera) throw new NotFoundError(`camera ${id} not found`);
      const kind = await apply(camera);
      camera.version += 1;
      camera.updatedAt = new Date();
      const saved = await this.cameras.save(manager, camera);
      await this.record(manager, saved, kind, actor);
      return saved;
    });
  }

  /** The event on `safecity.cameras.v1` and the audit record of a change, in its transaction. */
  async record(manager: EntityManager, camera: CameraEntity, kind: CameraChange, actor: Principal) {
    this.lookups.invalidate(camera.videoSystemId, camera.externalId);
    await this.outbox.add(manager, cameraChangedEvent(camera, kind));
    await this.audit.record(manager, {
      actor,
      action: AUDIT_ACTION[kind],
      objectType: 'camera',
      objectId: camera.id,
      regionCode: camera.regionCode,
      details: { change: CameraChangeKind[kind], version: camera.version, externalId: camera.externalId },
    });
  }

  /** Refuses a location outside the region or a district of another region. */
  async checkPlacement(regionCode: string, fields: CameraFieldsDto): Promise<void> {
    const problem = locationProblem(regionCode, fields.location.lat, fields.location.lon);
    if (problem) throw new UnprocessableFieldException('location', problem);
    if (!fields.districtCode) return;
    const district = await this.regions.findDistrict(fields.districtCode);
    if (!district || district.regionCode !== regionCode) {
      throw new UnprocessableFieldException(
        'districtCode',
        `no district ${fields.districtCode} in region ${regionCode}`,
      );
    }
  }
}

/** The columns a camera's editable fields set. */
export function cameraColumnsOf(fields: CameraFieldsDto): Partial<CameraEntity> {
  return {
    districtCode: fields.districtCode ?? null,
    name: fields.name,
    lat: fields.location.lat,
    lon: fields.location.lon,
    address: fields.address ?? null,
    directionDeg: fields.directionDeg ?? null,
    fieldOfViewDeg: fields.fieldOfViewDeg ?? null,
    mountType: fields.mountType ?? null,
    capabilities: [...new Set(fields.capabilities)],
    privacyMasks: (fields.privacyMasks ?? []).map((m) => ({
      name: m.name,
      polygon: m.polygon.map(({ x, y }) => ({ x, y })),
    })),
    tags: [...new Set(fields.tags ?? [])],
  };
}
