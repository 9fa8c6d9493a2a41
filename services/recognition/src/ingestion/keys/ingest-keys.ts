import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Injectable,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  ServiceUnavailableException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import {
  ApiKeyStore,
  AuditLog,
  CurrentPrincipal,
  Operation,
  RegionScope,
  ScopedTransaction,
  UseCase,
  type Principal,
} from '@safecity/security';
import { isDependencyUnavailable, UnprocessableFieldException } from '@safecity/service-kit';
import { CameraRegistryGateway } from '../../camera-directory/camera-registry.client';
import { RECOGNITION_POLICIES as P } from '../../recognition.policies';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import type { DataSource, EntityManager } from 'typeorm';
import { RECOGNITION_SCHEMA } from '../../schema';

export class IssueIngestKeyDto {
  @ApiPropertyOptional({
    example: 'ALA',
    description:
      "The video system's region. Optional: the key always takes the region camera-registry records for the system; a different one is refused with 422.",
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Z]{3}$/)
  regionCode?: string;

  @ApiPropertyOptional({ example: 'Hikvision NVR, Al-Farabi district' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  label?: string;
}

/**
 * The video systems' ingestion keys: recognition keeps its own, separate from the heartbeat keys
 * camera-registry issues, so one service's keys never open the other's routes. Every issue and
 * revocation is in the audit log.
 */
@Injectable()
export class IngestKeysService {
  constructor(
    @InjectDataSource(RECOGNITION_SCHEMA) private readonly dataSource: DataSource,
    private readonly keys: ApiKeyStore,
    private readonly audit: AuditLog,
    private readonly registry: CameraRegistryGateway,
  ) {}

  /**
   * Keys are issued only for a video system camera-registry knows, in the caller's regions, and
   * bound to the system's own region. A missing system and another region's answer the same 404.
   */
  @UseCase(P.keepIngestKeys)
  async issue(videoSystemId: string, dto: IssueIngestKeyDto, actor: Principal) {
    const system = await this.registry.getVideoSystem(videoSystemId).catch((error: unknown) => {
      if (isDependencyUnavailable(error)) {
        throw new ServiceUnavailableException({
          statusCode: 503,
          error: 'Service Unavailable',
          message: 'video systems cannot be looked up now; retry later',
        });
      }
      throw error;
    });
    if (!system || !RegionScope.of(actor).includes(system.regionCode))
      throw new NotFoundException(`video system ${videoSystemId} not found`);
    if (dto.regionCode !== undefined && dto.regionCode !== system.regionCode)
      throw new UnprocessableFieldException('regionCode', "is not the video system's region");
    return ScopedTransaction.run(this.dataSource, RegionScope.allRegions(), async ({ manager }) => {
      const issued = await this.keys.issue(
        { videoSystemId, regionCode: system.regionCode, label: dto.label },
        manager,
      );
      await this.record(manager, actor, 'create', videoSystemId, issued.keyId, system.regionCode);
      return issued;
    });
  }

  @UseCase(P.keepIngestKeys)
  async list(videoSystemId: string, actor: Principal) {
    const scope = RegionScope.of(actor);
    return (await this.keys.list(videoSystemId)).filter((k) => scope.includes(k.regionCode));
  }

  @UseCase(P.keepIngestKeys)
  async revoke(videoSystemId: string, keyId: string, actor: Principal) {
    const key = await this.keys.get(keyId);
    if (!key || key.videoSystemId !== videoSystemId || !RegionScope.of(actor).includes(key.regionCode)) {
      throw new NotFoundException(`no API key ${keyId} for this video system`);
    }
    await ScopedTransaction.run(this.dataSource, RegionScope.allRegions(), async ({ manager }) => {
      if (!(await this.keys.revoke(keyId, manager)))
        throw new NotFoundException(`no active API key ${keyId}`);
      await this.record(manager, actor, 'erase', videoSystemId, keyId, key.regionCode);
    });
  }

  private record(
    manager: EntityManager,
    actor: Principal,
    action: 'create' | 'erase',
    videoSystemId: string,
    keyId: string,
    regionCode: string,
  ) {
    return this.audit.record(manager, {
      actor,
      action,
      objectType: 'video-system-ingest-key',
      objectId: keyId,
      regionCode,
      ...(action === 'erase'
        ? { purpose: 'credential revocation', legalBasis: 'video system security policy' }
        : {}),
      details: { videoSystemId },
    });
  }
}

@ApiTags('ingestion keys')
@ApiBearerAuth()
@Controller('video-systems/:id/ingest-keys')
export class IngestKeysController {
  constructor(private readonly keys: IngestKeysService) {}

  @Post()
  @ApiOperation({
    summary: "Issues a key for the system's ingest routes; the key is shown in this answer only",
    description:
      'Only for a video system registered in camera-registry in one of your regions; a missing system and ' +
      "another region's are both 404. The key is bound to the system's region.",
  })
  @Operation(P.keepIngestKeys)
  issue(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: IssueIngestKeyDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.keys.issue(id, dto, principal);
  }

  @Get()
  @Operation(P.keepIngestKeys)
  list(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal) {
    return this.keys.list(id, principal);
  }

  @Delete(':keyId')
  @HttpCode(204)
  @Operation(P.keepIngestKeys)
  async revoke(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('keyId') keyId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.keys.revoke(id, keyId, principal);
  }
}
