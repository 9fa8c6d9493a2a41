import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { CameraChangeKind } from '@safecity/contracts';
import { Outbox } from '@safecity/messaging';
import {
  ConflictFieldException,
  decodeCursor,
  encodeCursor,
  UnprocessableFieldException,
  type Page,
} from '@safecity/service-kit';
import type { EntityManager } from 'typeorm';
import { findRegion, insideBbox, KAZAKHSTAN_BBOX } from '../regions/regions';
import { VideoSystemsService } from '../video-systems/video-systems.service';
import type { CameraEntity } from './camera.entity';
import type { Camera as CameraMessage } from '@safecity/contracts';
import { cameraChangedEvent, type CameraChange } from './camera-events';
import { CameraLookupCache } from './camera-lookup.cache';
import { toCameraMessage } from './camera.mapper';
import { CamerasRepository } from './cameras.repository';
import type { CameraFieldsDto, ListCamerasQueryDto, RegisterCameraDto } from './dto/camera.dto';
import { RegionsRepository } from '../regions/regions.repository';

@Injectable()
export class CamerasService {
  constructor(
    private readonly cameras: CamerasRepository,
    private readonly videoSystems: VideoSystemsService,
    private readonly outbox: Outbox,
    private readonly regions: RegionsRepository,
    private readonly lookups: CameraLookupCache,
  ) {}

  async register(dto: RegisterCameraDto): Promise<CameraEntity> {
    const system = await this.videoSystems.get(dto.videoSystemId).catch(() => {
      throw new UnprocessableFieldException('videoSystemId', `unknown video system ${dto.videoSystemId}`);
    });
    this.checkLocation(system.regionCode, dto.location);
    await this.checkDistrict(system.regionCode, dto.districtCode);
    if (await this.cameras.findByExternalId(system.id, dto.externalId)) {
      throw new ConflictFieldException('externalId', `video system already has a camera ${dto.externalId}`);
    }
    return this.outbox.transaction(async (manager) => {
      const camera = this.cameras.create(
        {
          regionCode: system.regionCode,
          videoSystemId: system.id,
          externalId: dto.externalId,
          ...this.fields(dto),
          lifecycle: dto.lifecycle ?? 'active',
          status: 'unknown',
          version: 1,
        },
        manager,
      );
      const saved = await this.cameras.save(camera, manager).catch((error: { code?: string }) => {
        // Lost a race with a concurrent registration of the same external id.
        if (error.code === '23505') {
          throw new ConflictFieldException(
            'externalId',
            `video system already has a camera ${dto.externalId}`,
          );
        }
        throw error;
      });
      await this.emit(manager, saved, CameraChangeKind.CAMERA_CHANGE_KIND_REGISTERED);
      return saved;
    });
  }

  async update(id: string, dto: CameraFieldsDto): Promise<CameraEntity> {
    return this.change(id, async (camera): Promise<CameraChange> => {
      if (camera.lifecycle === 'decommissioned') {
        throw new ConflictFieldException('lifecycle', 'a decommissioned camera cannot be changed');
      }
      this.checkLocation(camera.regionCode, dto.location);
      await this.checkDistrict(camera.regionCode, dto.districtCode);
      Object.assign(camera, this.fields(dto), { lifecycle: dto.lifecycle ?? camera.lifecycle });
      return CameraChangeKind.CAMERA_CHANGE_KIND_UPDATED;
    });
  }

  async decommission(id: string): Promise<CameraEntity> {
    return this.change(id, (camera) => {
      if (camera.lifecycle === 'decommissioned') {
        throw new ConflictFieldException('lifecycle', 'camera is already decommissioned');
      }
      camera.lifecycle = 'decommissioned';
      return CameraChangeKind.CAMERA_CHANGE_KIND_DECOMMISSIONED;
    });
  }

  async get(id: string): Promise<CameraEntity> {
    const camera = await this.cameras.findById(id);
    if (!camera) throw new NotFoundException(`camera ${id} not found`);
    return camera;
  }

  findByIds(ids: string[]) {
    return this.cameras.findByIds(ids);
  }

  findByExternalId(videoSystemId: string, externalId: string) {
    return this.cameras.findByExternalId(videoSystemId, externalId);
  }

  /** The contract view of a vendor camera, from the lookup cache when it is fresh. */
  async resolveExternal(videoSystemId: string, externalId: string): Promise<CameraMessage | null> {
    const cached = this.lookups.get(videoSystemId, externalId);
    if (cached !== undefined) return cached;
    const camera = await this.cameras.resolveExternal(videoSystemId, externalId);
    const message = camera ? toCameraMessage(camera) : null;
    this.lookups.set(videoSystemId, externalId, message);
    return message;
  }

  async list(query: ListCamerasQueryDto): Promise<Page<CameraEntity>> {
    const limit = query.limit ?? 100;
    const after = decodeCursor<{ id: string }>(query.cursor);
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
    const rows = await this.cameras.search(
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
    );
    const items = rows.slice(0, limit);
    return {
      items,
      nextCursor: rows.length > limit ? encodeCursor({ id: items[items.length - 1].id }) : null,
    };
  }

  private async change(
    id: string,
    apply: (camera: CameraEntity) => CameraChange | Promise<CameraChange>,
  ): Promise<CameraEntity> {
    return this.outbox.transaction(async (manager) => {
      const camera = await this.cameras.lockById(id, manager);
      if (!camera) throw new NotFoundException(`camera ${id} not found`);
      const kind = await apply(camera);
      camera.version += 1;
      camera.updatedAt = new Date();
      const saved = await this.cameras.save(camera, manager);
      await this.emit(manager, saved, kind);
      return saved;
    });
  }

  private emit(manager: EntityManager, camera: CameraEntity, kind: CameraChange) {
    this.lookups.invalidate(camera.videoSystemId, camera.externalId);
    return this.outbox.add(manager, cameraChangedEvent(camera, kind));
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
    if (!insideBbox(KAZAKHSTAN_BBOX, location.lat, location.lon)) {
      throw new UnprocessableFieldException('location', 'coordinates are outside Kazakhstan');
    }
    const region = findRegion(regionCode);
    if (region && !insideBbox(region.bbox, location.lat, location.lon)) {
      throw new UnprocessableFieldException('location', `coordinates are outside region ${regionCode}`);
    }
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
