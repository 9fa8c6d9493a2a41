import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, RegionScope, type Principal } from '@safecity/security';
import { CAMERA_REGISTRY_POLICIES as P } from '../camera-registry.policies';
import { CreateVideoSystemDto, IssueApiKeyDto, RotateApiKeyDto } from './video-system.dto';
import { VideoSystemsService } from './video-systems.service';

@ApiTags('video systems')
@ApiBearerAuth()
@Controller('video-systems')
export class VideoSystemsController {
  constructor(private readonly videoSystems: VideoSystemsService) {}

  @Post()
  @Operation(P.createVideoSystem)
  create(@Body() dto: CreateVideoSystemDto, @CurrentPrincipal() actor: Principal) {
    return this.videoSystems.create(dto, actor);
  }

  @Get(':id')
  @Operation(P.getVideoSystem)
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    return this.videoSystems.get(id, RegionScope.of(actor));
  }

  @Get()
  @Operation(P.listVideoSystems)
  list(@CurrentPrincipal() actor: Principal, @Query('regionCode') regionCode?: string) {
    return this.videoSystems.list(RegionScope.of(actor), regionCode);
  }

  /** Issues an API key; the key is shown in this answer only. */
  @Post(':id/api-keys')
  @Operation(P.issueApiKey)
  issueKey(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: IssueApiKeyDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.videoSystems.issueKey(id, actor, dto.label);
  }

  @Get(':id/api-keys')
  @Operation(P.listApiKeys)
  listKeys(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    return this.videoSystems.listKeys(id, RegionScope.of(actor));
  }

  /** A replacement key; the old one keeps working for the overlap window (default 24 h). */
  @Post(':id/api-keys/:keyId/rotate')
  @HttpCode(200)
  @Operation(P.rotateApiKey)
  rotateKey(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('keyId') keyId: string,
    @Body() dto: RotateApiKeyDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.videoSystems.rotateKey(id, keyId, actor, dto.overlapHours);
  }

  @Delete(':id/api-keys/:keyId')
  @HttpCode(204)
  @Operation(P.revokeApiKey)
  revokeKey(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('keyId') keyId: string,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.videoSystems.revokeKey(id, keyId, actor);
  }
}
