import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, type Principal } from '@safecity/security';
import { CAMERA_REGISTRY_POLICIES as P } from '../camera-registry.policies';
import { CameraMediaSourceDto } from './camera-media-source.dto';
import { GetMediaSourceUseCase, RemoveMediaSourceUseCase, SetMediaSourceUseCase } from './use-cases';

/**
 * Media sources name addresses inside an akimat's network: only its administrators see or
 * change them. Credentials are write-only.
 */
@ApiTags('cameras')
@ApiBearerAuth()
@Controller('cameras/:id/media-source')
export class CameraMediaController {
  constructor(
    private readonly setMediaSource: SetMediaSourceUseCase,
    private readonly getMediaSource: GetMediaSourceUseCase,
    private readonly removeMediaSource: RemoveMediaSourceUseCase,
  ) {}

  @Put()
  @Operation(P.keepMediaSources)
  @ApiOperation({
    summary: "Where and how the platform's analytics read this camera (stream, ONVIF or snapshots)",
    description:
      'Credentials are sealed and never returned; leaving them out keeps the stored ones, null removes them.',
  })
  set(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CameraMediaSourceDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.setMediaSource.execute({ actor, cameraId: id, source: dto });
  }

  @Get()
  @Operation(P.readMediaSources)
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    return this.getMediaSource.execute({ actor, cameraId: id });
  }

  @Delete()
  @Operation(P.keepMediaSources)
  @HttpCode(204)
  async remove(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    await this.removeMediaSource.execute({ actor, cameraId: id });
  }
}
