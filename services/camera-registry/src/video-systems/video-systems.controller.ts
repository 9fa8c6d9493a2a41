import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RegionScope, Roles, type Principal } from '@safecity/security';
import { CreateVideoSystemDto, IssueApiKeyDto, RotateApiKeyDto } from './video-system.dto';
import { VideoSystemsService } from './video-systems.service';

const READERS = ['admin', 'region-admin', 'operator', 'supervisor', 'analyst'] as const;

@ApiTags('video systems')
@ApiBearerAuth()
@Controller('video-systems')
export class VideoSystemsController {
  constructor(private readonly videoSystems: VideoSystemsService) {}

  @Post()
  @Roles('admin', 'region-admin')
  create(@Body() dto: CreateVideoSystemDto, @CurrentPrincipal() actor: Principal) {
    return this.videoSystems.create(dto, actor);
  }

  @Get(':id')
  @Roles(...READERS)
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    return this.videoSystems.get(id, RegionScope.of(actor));
  }

  @Get()
  @Roles(...READERS)
  list(@CurrentPrincipal() actor: Principal, @Query('regionCode') regionCode?: string) {
    return this.videoSystems.list(RegionScope.of(actor), regionCode);
  }

  /** Issues an API key; the key is shown in this answer only. */
  @Post(':id/api-keys')
  @Roles('admin', 'region-admin')
  issueKey(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: IssueApiKeyDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.videoSystems.issueKey(id, actor, dto.label);
  }

  @Get(':id/api-keys')
  @Roles('admin', 'region-admin')
  listKeys(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    return this.videoSystems.listKeys(id, RegionScope.of(actor));
  }

  /** A replacement key; the old one keeps working for the overlap window (default 24 h). */
  @Post(':id/api-keys/:keyId/rotate')
  @Roles('admin', 'region-admin')
  @HttpCode(200)
  rotateKey(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('keyId') keyId: string,
    @Body() dto: RotateApiKeyDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.videoSystems.rotateKey(id, keyId, actor, dto.overlapHours);
  }

  @Delete(':id/api-keys/:keyId')
  @Roles('admin', 'region-admin')
  @HttpCode(204)
  revokeKey(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('keyId') keyId: string,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.videoSystems.revokeKey(id, keyId, actor);
  }
}
