import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { CameraChangeKind, type Camera as CameraMessage } from '@safecity/contracts';
import { Outbox } from '@safecity/messaging';
import { AuditLog, RegionScope, UseCase, type Principal } from '@safecity/security';
import { CAMERA_REGISTRY_POLICIES as P } from '../camera-registry.policies';
import {
  ConflictFieldException,
  decodeCursor,
  encodeCursor,
  UnprocessableFieldException,
  type Page,
} from '@safecity/service-kit';
import type { EntityManager } from 'typeorm';
import { RegionAccess } from '../access/region-access';
import { RegionsRepository } from '../regions/regions.repository';
import { locationProblem } from '../regions/regions';
import { VideoSystemsService } from '../video-systems/video-systems.service';
import type { CameraEntity } from './camera.entity';
import { cameraChangedEvent, type CameraChange } from './camera-events';
import { CameraLookupCache } from './camera-lookup.cache';
import { toCameraMessage } from './camera.mapper';
import { CamerasRepository } from './cameras.repository';
import type { CameraFieldsDto, ListCamerasQueryDto, RegisterCameraDto } from './dto/camera.dto';

const AUDIT_ACTION: Record<CameraChange, 'create' | 'update'> = {
  [CameraChangeKind.CAMERA_CHANGE_KIND_REGISTERED]: 'create',
  [CameraChangeKind.CAMERA_CHANGE_KIND_UPDATED]: 'update',
  [CameraChangeKind.CAMERA_CHANGE_KIND_DECOMMISSIONED]: 'update',
};

@Injectable()
export class CamerasService {
  constructor(
    private readonly cameras: CamerasRepository,
    private readonly videoSystems: VideoSystemsService,
    private readonly outbox: Outbox,
    private readonly regions: RegionsRepository,
    private readonly lookups: CameraLookupCache,
    private readonly access: RegionAccess,
    private readonly audit: AuditLog,
  ) {}

  @UseCase(P.registerCamera)
  async register(dto: RegisterCameraDto, actor: Principal): Promise<CameraEntity> {
    const scope = RegionScope.of(actor);
    // A video system of another region is answered exactly like one that does not exist.
    const system = await this.videoSystems.find(dto.videoSystemId, scope);
    if (!system)
      throw new UnprocessableFieldException('videoSystemId', `unknown video system ${dto.videoSystemId}`);
    this.checkLocation(system.regionCode, dto.location);
    await this.checkDistrict(system.regionCode, dto.districtCode);
    return this.outbox.transaction(async (tx) => {
      const manager = await this.access.enter(tx, scope);
      if (await this.cameras.findByExternalId(manager, scope, system.id, dto.externalId)) {
        throw new ConflictFieldException('externalId', `video system already has a camera ${dto.externalId}`);
      }
      const camera = this.cameras.create(manager, {
        regionCode: system.regionCode,
        videoSystemId: system.id,
        externalId: dto.externalId,
        ...this.fields(dto),
        lifecycle: dto.lifecycle ?? 'active',
        status: 'unknown',
        version: 1,
      });
      const saved = await this.cameras.save(manager, camera).catch((error: { code?: string }) => {
        // Lost a race with a concurrent registration of the same external id.
        if (error.code === '23505') {
          throw new ConflictFieldException(
            'externalId',
            `video system already has a camera ${dto.externalId}`,
          );
        }
        throw error;
      });
      await this.emit(manager, saved, CameraChangeKind.CAMERA_CHANGE_KIND_REGISTERED, actor);
      return saved;
    });
  }

  @UseCase(P.updateCamera)
  async update(id: string, dto: CameraFieldsDto, actor: Principal): Promise<CameraEntity> {
    return this.change(id, actor, async (camera): Promise<CameraChange> => {
      if (camera.lifecycle === 'decommissioned') {
        throw new ConflictFieldException('lifecycle', 'a decommissioned camera cannot be changed');
      }
      this.checkLocation(camera.regionCode, dto.location);
      await this.checkDistrict(camera.regionCode, dto.districtCode);
      Object.assign(camera, this.fields(dto), { lifecycle: dto.lifecycle ?? camera.lifecycle });
      return CameraChangeKind.CAMERA_CHANGE_KIND_UPDATED;
    });
  }

  @UseCase(P.decommissionCamera)
  async decommission(id: string, actor: Principal): Promise<CameraEntity> {
    return this.change(id, actor, (camera) => {
      if (camera.lifecycle === 'decommissioned') {
        throw new ConflictFieldException('lifecycle', 'camera is already decommissioned');
      }
      camera.lifecycle = 'decommissioned';
      return CameraChangeKind.CAMERA_CHANGE_KIND_DECOMMISSIONED;
    });
  }

  /** The camera, or 404 when it does not exist or lies outside the caller's regions. */
  @UseCase(P.getCamera)
  async get(id: string, scope: RegionScope): Promise<CameraEntity> {
    const camera = await this.access.run(scope, (m) => this.cameras.findById(m, scope, id));
    if (!camera) throw new NotFoundException(`camera ${id} not found`);
    return camera;
  }

  @UseCase(P.batchGetCameras)
  findByIds(ids: string[], scope: RegionScope) {
    return this.access.run(scope, (m) => this.cameras.findByIds(m, scope, ids));
  }

  /** The contract view of a vendor camera, from the lookup cache when it is fresh. */
  @UseCase(P.resolveExternalCamera)
  async resolveExternal(
    videoSystemId: string,
    externalId: string,
    scope: RegionScope,
  ): Promise<CameraMessage | null> {
    const cached = this.lookups.get(scope.toSetting(), videoSystemId, externalId);
    if (cached !== undefined) return cached;
    const camera = await this.access.run(scope, (m) =>
      this.cameras.resolveExternal(m, scope, videoSystemId, externalId),
    );
    const message = camera ? toCameraMessage(camera) : null;
    this.lookups.set(scope.toSetting(), videoSystemId, externalId, message);
    return message;
  }

  @UseCase(P.listCameras)
  async list(query: ListCamerasQueryDto, scope: RegionScope): Promise<Page<CameraEntity>> {
    const limit = query.limit ?? 100;
    const after = decodeCursor(query.cursor, { id: 'uuid' });
    if (query.bbox) {
      const [minLon, minLat, maxLon, maxLat] = query.bbox;
      if (minLon >= maxLon || minLat >= maxLat) {
        throw new BadRequestException({
          statusCode: 400,
          message: 'request validation failed',
          problems: [{ field: 'bbox', reason: 'must be minLon,minLat,maxLon,maxLat with min < max' }],
        });
      }
    }
    if (!query.near !== (query.radiusM === undefined)) {
      throw new BadRequestException({
        statusCode: 400,
        message: 'request validation failed',
        problems: [{ field: query.near ? 'radiusM' : 'near', reason: 'near and radiusM go together' }],
      });
    }
    const rows = await this.access.run(scope, (m) =>
      this.cameras.search(
        m,
        scope,
        {
          regionCode: query.regionCode,
          districtCode: query.districtCode,
          bbox: query.bbox,
          radius:
            query.near && query.radiusM
              ? { lat: query.near[0], lon: query.near[1], metres: query.radiusM }
              : undefined,
          capabilities: query.capability,
          tags: query.tag,
          status: query.status,
          lifecycle: query.lifecycle,
          text: query.q,
          afterId: after?.id,
        },
        limit + 1,
      ),
    );
    const items = rows.slice(0, limit);
    return {
      items,
      nextCursor: rows.length > limit ? encodeCursor({ id: items[items.length - 1].id }) : null,
    };
  }

  private async change(
    id: string,
    actor: Principal,
    apply: (camera: CameraEntity) => CameraChange | Promise<CameraChange>,
  ): Promise<CameraEntity> {
    const scope = RegionScope.of(actor);
    return this.outbox.transaction(async (tx) => {
      const manager = await this.access.enter(tx, scope);
      const camera = await this.cameras.lockById(manager, scope, id);
      if (!camera) throw new NotFoundException(`camera ${id} not found`);
      const kind = await apply(camera);
      camera.version += 1;
      camera.updatedAt = new Date();
      const saved = await this.cameras.save(manager, camera);
      await this.emit(manager, saved, kind, actor);
      return saved;
    });
  }

  private async emit(manager: EntityManager, camera: CameraEntity, kind: CameraChange, actor: Principal) {
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

  private async checkDistrict(regionCode: string, districtCode: string | undefined) {
    if (!districtCode) return;
    const district = await this.regions.findDistrict(districtCode);
    if (!district || district.regionCode !== regionCode) {
      throw new UnprocessableFieldException(
        'districtCode',
        `no district ${districtCode} in region ${regionCode}`,
      );
    }
  }

  private checkLocation(regionCode: string, location: { lat: number; lon: number }) {
    const problem = locationProblem(regionCode, location.lat, location.lon);
    if (problem) throw new UnprocessableFieldException('location', problem);
  }

  private fields(dto: CameraFieldsDto): Partial<CameraEntity> {
    return {
      districtCode: dto.districtCode ?? null,
      name: dto.name,
      lat: dto.location.lat,
      lon: dto.location.lon,
      address: dto.address ?? null,
      directionDeg: dto.directionDeg ?? null,
      fieldOfViewDeg: dto.fieldOfViewDeg ?? null,
      mountType: dto.mountType ?? null,
      capabilities: [...new Set(dto.capabilities)],
      privacyMasks: (dto.privacyMasks ?? []).map((m) => ({
        name: m.name,
        polygon: m.polygon.map(({ x, y }) => ({ x, y })),
      })),
      tags: [...new Set(dto.tags ?? [])],
    };
  }
}
