import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, type Principal } from '@safecity/security';
import { CAMERA_REGISTRY_POLICIES as P } from '../camera-registry.policies';
import {
  CreateVideoSystemUseCase,
  GetVideoSystemUseCase,
  IssueApiKeyUseCase,
  ListApiKeysUseCase,
  ListVideoSystemsUseCase,
  RevokeApiKeyUseCase,
  RotateApiKeyUseCase,
} from './use-cases';
import { CreateVideoSystemDto, IssueApiKeyDto, RotateApiKeyDto } from './video-system.dto';

@ApiTags('video systems')
@ApiBearerAuth()
@Controller('video-systems')
export class VideoSystemsController {
  constructor(
    private readonly createVideoSystem: CreateVideoSystemUseCase,
    private readonly getVideoSystem: GetVideoSystemUseCase,
    private readonly listVideoSystems: ListVideoSystemsUseCase,
    private readonly issueApiKey: IssueApiKeyUseCase,
    private readonly listApiKeys: ListApiKeysUseCase,
    private readonly rotateApiKey: RotateApiKeyUseCase,
    private readonly revokeApiKey: RevokeApiKeyUseCase,
  ) {}

  @Post()
  @Operation(P.createVideoSystem)
  create(@Body() dto: CreateVideoSystemDto, @CurrentPrincipal() actor: Principal) {
    return this.createVideoSystem.execute({ actor, ...dto });
  }

  @Get(':id')
  @Operation(P.getVideoSystem)
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    return this.getVideoSystem.execute({ actor, id });
  }

  @Get()
  @Operation(P.listVideoSystems)
  list(@CurrentPrincipal() actor: Principal, @Query('regionCode') regionCode?: string) {
    return this.listVideoSystems.execute({ actor, regionCode });
  }

  /** Issues an API key; the key is shown in this answer only. */
  @Post(':id/api-keys')
  @Operation(P.issueApiKey)
  issueKey(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: IssueApiKeyDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.issueApiKey.execute({ actor, videoSystemId: id, label: dto.label });
  }

  @Get(':id/api-keys')
  @Operation(P.listApiKeys)
  listKeys(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    return this.listApiKeys.execute({ actor, videoSystemId: id });
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
    return this.rotateApiKey.execute({ actor, videoSystemId: id, keyId, overlapHours: dto.overlapHours });
  }

  @Delete(':id/api-keys/:keyId')
  @HttpCode(204)
  @Operation(P.revokeApiKey)
  revokeKey(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('keyId') keyId: string,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.revokeApiKey.execute({ actor, videoSystemId: id, keyId });
  }
}
