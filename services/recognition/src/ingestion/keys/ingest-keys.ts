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
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import {
  ApiKeyStore,
  AuditLog,
  CurrentPrincipal,
  isRegionCode,
  Operation,
  RegionScope,
  ScopedTransaction,
  UseCase,
  type Principal,
} from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../../recognition.policies';
import { UnprocessableFieldException } from '@safecity/service-kit';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import type { DataSource, EntityManager } from 'typeorm';
import { RECOGNITION_SCHEMA } from '../../schema';

export class IssueIngestKeyDto {
  @ApiProperty({ example: 'ALA', description: 'region of the video system' })
  @IsString()
  @Matches(/^[A-Z]{3}$/)
  regionCode!: string;

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
  ) {}

  private async knownRegions(manager: EntityManager, videoSystemId: string): Promise<string[]> {
    const rows: { region_code: string }[] = await manager.query(
      'SELECT DISTINCT region_code FROM camera_directory WHERE video_system_id = $1',
      [videoSystemId],
    );
    return rows.map((r) => r.region_code);
  }

  @UseCase(P.keepIngestKeys)
  async issue(videoSystemId: string, dto: IssueIngestKeyDto, actor: Principal) {
    const scope = RegionScope.of(actor);
    if (!isRegionCode(dto.regionCode))
      throw new UnprocessableFieldException('regionCode', 'is not a known region');
    if (!scope.includes(dto.regionCode))
      throw new NotFoundException(`video system ${videoSystemId} not found`);
    return ScopedTransaction.run(this.dataSource, RegionScope.allRegions(), async ({ manager }) => {
      const regions = await this.knownRegions(manager, videoSystemId);
      if (regions.length > 0 && !regions.includes(dto.regionCode)) {
        throw new UnprocessableFieldException(
          'regionCode',
          `the system's cameras are in ${regions.join(', ')}`,
        );
      }
      const issued = await this.keys.issue(
        { videoSystemId, regionCode: dto.regionCode, label: dto.label },
        manager,
      );
      await this.record(manager, actor, 'create', videoSystemId, issued.keyId, dto.regionCode);
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
