import { Injectable, NotFoundException } from '@nestjs/common';
import {
  ApiKeyNotFoundError,
  ApiKeyStore,
  AuditLog,
  RegionScope,
  UseCase,
  type Principal,
} from '@safecity/security';
import { CAMERA_REGISTRY_POLICIES as P } from '../camera-registry.policies';
import { UnprocessableFieldException } from '@safecity/service-kit';
import { RegionAccess } from '../access/region-access';
import { findRegion } from '../regions/regions';
import type { CreateVideoSystemDto } from './video-system.dto';
import { VideoSystemEntity } from './video-system.entity';

@Injectable()
export class VideoSystemsService {
  constructor(
    private readonly access: RegionAccess,
    private readonly apiKeys: ApiKeyStore,
    private readonly audit: AuditLog,
  ) {}

  @UseCase(P.createVideoSystem)
  async create(dto: CreateVideoSystemDto, actor: Principal): Promise<VideoSystemEntity> {
    if (!findRegion(dto.regionCode))
      throw new UnprocessableFieldException('regionCode', `unknown region ${dto.regionCode}`);
    const scope = RegionScope.of(actor);
    if (!scope.includes(dto.regionCode)) {
      throw new UnprocessableFieldException('regionCode', `region ${dto.regionCode} is outside your regions`);
    }
    return this.access.run(scope, async (manager) => {
      const repo = manager.getRepository(VideoSystemEntity);
      const system = await repo.save(
        repo.create({
          regionCode: dto.regionCode,
          name: dto.name,
          vendor: dto.vendor,
          endpoint: dto.endpoint ?? null,
          ingestionMethod: dto.ingestionMethod,
          status: 'active',
        }),
      );
      await this.audit.record(manager, {
        actor,
        action: 'create',
        objectType: 'video-system',
        objectId: system.id,
        regionCode: system.regionCode,
        details: { vendor: system.vendor, ingestionMethod: system.ingestionMethod },
      });
      return system;
    });
  }

  /** The video system if it exists and lies in the scope, else null. */
  find(id: string, scope: RegionScope): Promise<VideoSystemEntity | null> {
    return this.access.run(scope, (manager) =>
      this.access
        .filter(manager.getRepository(VideoSystemEntity).createQueryBuilder('v'), scope)
        .andWhere('v.id = :id', { id })
        .getOne(),
    );
  }

  @UseCase(P.getVideoSystem)
  async get(id: string, scope: RegionScope): Promise<VideoSystemEntity> {
    const system = await this.find(id, scope);
    if (!system) throw new NotFoundException(`video system ${id} not found`);
    return system;
  }

  @UseCase(P.listVideoSystems)
  list(scope: RegionScope, regionCode?: string): Promise<VideoSystemEntity[]> {
    return this.access.run(scope, (manager) => {
      const q = this.access.filter(manager.getRepository(VideoSystemEntity).createQueryBuilder('v'), scope);
      if (regionCode) q.andWhere('v.region_code = :regionCode', { regionCode });
      return q.orderBy('v.created_at', 'ASC').limit(500).getMany();
    });
  }

  /** A new API key for the system; the secret is in the answer and nowhere else, ever. */
  @UseCase(P.issueApiKey)
  async issueKey(id: string, actor: Principal, label?: string) {
    const scope = RegionScope.of(actor);
    const system = await this.get(id, scope);
    return this.access.run(scope, async (manager) => {
      const issued = await this.apiKeys.issue(
        { videoSystemId: system.id, regionCode: system.regionCode, label },
        manager,
      );
      await this.keyAudit(manager, actor, 'create', system, issued.keyId, {});
      return issued;
    });
  }

  @UseCase(P.rotateApiKey)
  async rotateKey(id: string, keyId: string, actor: Principal, overlapHours?: number) {
    const scope = RegionScope.of(actor);
    const system = await this.get(id, scope);
    await this.ownKey(system, keyId);
    return this.access.run(scope, async (manager) => {
      const rotated = await this.apiKeys
        .rotate(keyId, overlapHours === undefined ? {} : { overlap: { hours: overlapHours } }, manager)
        .catch((error: unknown) => {
          if (error instanceof ApiKeyNotFoundError) throw new NotFoundException(`no active API key ${keyId}`);
          throw error;
        });
      await this.keyAudit(manager, actor, 'update', system, keyId, { rotatedTo: rotated.replacement.keyId });
      return rotated;
    });
  }

  @UseCase(P.revokeApiKey)
  async revokeKey(id: string, keyId: string, actor: Principal): Promise<void> {
    const scope = RegionScope.of(actor);
    const system = await this.get(id, scope);
    await this.ownKey(system, keyId);
    await this.access.run(scope, async (manager) => {
      if (!(await this.apiKeys.revoke(keyId, manager)))
        throw new NotFoundException(`no active API key ${keyId}`);
      await this.keyAudit(manager, actor, 'erase', system, keyId, {});
    });
  }

  @UseCase(P.listApiKeys)
  async listKeys(id: string, scope: RegionScope) {
    const system = await this.get(id, scope);
    return this.apiKeys.list(system.id);
  }

  private async ownKey(system: VideoSystemEntity, keyId: string) {
    const key = await this.apiKeys.get(keyId);
    if (!key || key.videoSystemId !== system.id)
      throw new NotFoundException(`no API key ${keyId} for this video system`);
  }

  private keyAudit(
    manager: Parameters<AuditLog['record']>[0],
    actor: Principal,
    action: 'create' | 'update' | 'erase',
    system: VideoSystemEntity,
    keyId: string,
    details: Record<string, unknown>,
  ) {
    return this.audit.record(manager, {
      actor,
      action,
      objectType: 'video-system-api-key',
      objectId: keyId,
      regionCode: system.regionCode,
      // Revoking a credential is its erasure; the record says why.
      ...(action === 'erase'
        ? { purpose: 'credential revocation', legalBasis: 'video system security policy' }
        : {}),
      details: { videoSystemId: system.id, ...details },
    });
  }
}
