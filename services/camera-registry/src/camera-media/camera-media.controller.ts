import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, RegionScope, type Principal } from '@safecity/security';
import { CAMERA_REGISTRY_POLICIES as P } from '../camera-registry.policies';
import { CameraMediaSourceDto } from './camera-media-source.dto';
import { CameraMediaService } from './camera-media.service';

/**
 * Media sources name addresses inside an akimat's network: only its administrators see or
 * change them. Credentials are write-only.
 */
@ApiTags('cameras')
@ApiBearerAuth()
@Controller('cameras/:id/media-source')
export class CameraMediaController {
  constructor(private readonly media: CameraMediaService) {}

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
    return this.media.set(id, dto, actor);
  }

  @Get()
  @Operation(P.readMediaSources)
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    return this.media.get(id, RegionScope.of(actor));
  }

  @Delete()
  @Operation(P.keepMediaSources)
  @HttpCode(204)
  async remove(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    await this.media.remove(id, actor);
  }
}
