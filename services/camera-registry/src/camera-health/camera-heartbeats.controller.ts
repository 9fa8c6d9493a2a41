import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@safecity/security';
import { CameraHealthService } from './camera-health.service';
import { CameraHeartbeatDto, SystemHeartbeatDto } from './heartbeat.dto';

/**
 * The endpoints video systems call, kept apart from the ones people call so that API key
 * authentication (`@VideoSystemAuth()`) covers exactly these routes with one class decorator.
 * Until then they take the bearer token of an administrator or of a platform bridge; the service
 * already confines a video system's key to its own system and region.
 */
@ApiTags('camera health')
@ApiBearerAuth()
@Roles('admin', 'region-admin', 'service')
@Controller()
export class CameraHeartbeatsController {
  constructor(private readonly health: CameraHealthService) {}

  @Post('video-systems/:id/heartbeats')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Heartbeat of a video system with the cameras it currently sees',
    description:
      'Marks the listed cameras as seen (online, or offline if they report `fault`) and records the ' +
      "system's own heartbeat. Answers which listed cameras are unknown or decommissioned.",
  })
  systemHeartbeat(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: SystemHeartbeatDto,
    @CurrentPrincipal() caller: Principal,
  ) {
    return this.health.systemHeartbeat(id, dto, caller);
  }

  @Post('cameras/:id/heartbeats')
  @HttpCode(200)
  @ApiOperation({ summary: 'Heartbeat of one camera', description: "Answers the camera's health." })
  cameraHeartbeat(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CameraHeartbeatDto,
    @CurrentPrincipal() caller: Principal,
  ) {
    return this.health.cameraHeartbeat(id, dto, caller);
  }
}
