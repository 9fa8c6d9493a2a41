import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AuditLog, CurrentPrincipal, Operation, type Principal } from '@safecity/security';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import type { EntityManager } from 'typeorm';
import { RECOGNITION_POLICIES as P } from '../../recognition.policies';
import { IssueIngestKeyUseCase } from '../use-cases/issue-ingest-key/issue-ingest-key.use-case';
import { ListIngestKeysUseCase } from '../use-cases/list-ingest-keys/list-ingest-keys.use-case';
import { RevokeIngestKeyUseCase } from '../use-cases/revoke-ingest-key/revoke-ingest-key.use-case';

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

/** Every issue and revocation of an ingest key is in the audit log. */
export function auditKeyChange(
  audit: AuditLog,
  manager: EntityManager,
  actor: Principal,
  action: 'create' | 'erase',
  videoSystemId: string,
  keyId: string,
  regionCode: string,
) {
  return audit.record(manager, {
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

/**
 * The video systems' ingestion keys: recognition keeps its own, separate from the heartbeat keys
 * camera-registry issues, so one service's keys never open the other's routes.
 */
@ApiTags('ingestion keys')
@ApiBearerAuth()
@Controller('video-systems/:id/ingest-keys')
export class IngestKeysController {
  constructor(
    private readonly issueIngestKey: IssueIngestKeyUseCase,
    private readonly listIngestKeys: ListIngestKeysUseCase,
    private readonly revokeIngestKey: RevokeIngestKeyUseCase,
  ) {}

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
    return this.issueIngestKey.execute({ actor: principal, videoSystemId: id, key: dto });
  }

  @Get()
  @Operation(P.keepIngestKeys)
  list(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal) {
    return this.listIngestKeys.execute({ actor: principal, videoSystemId: id });
  }

  @Delete(':keyId')
  @HttpCode(204)
  @Operation(P.keepIngestKeys)
  async revoke(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('keyId') keyId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.revokeIngestKey.execute({ actor: principal, videoSystemId: id, keyId });
  }
}
