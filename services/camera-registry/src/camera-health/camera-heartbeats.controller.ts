import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, VideoSystemAuth, type Principal } from '@safecity/security';
import { CAMERA_REGISTRY_POLICIES as P } from '../camera-registry.policies';
import { CameraHeartbeatDto, SystemHeartbeatDto } from './heartbeat.dto';
import { ReportCameraHeartbeatUseCase, ReportSystemHeartbeatUseCase } from './use-cases';

/**
 * The endpoints video systems call, authenticated by the system's API key (`X-Api-Key` or
 * `Authorization: ApiKey …`); a key only reports for its own system and its cameras.
 */
@ApiTags('camera health')
@ApiSecurity('api-key')
@VideoSystemAuth()
@Controller()
export class CameraHeartbeatsController {
  constructor(
    private readonly reportSystemHeartbeat: ReportSystemHeartbeatUseCase,
    private readonly reportCameraHeartbeat: ReportCameraHeartbeatUseCase,
  ) {}

  @Post('video-systems/:id/heartbeats')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Heartbeat of a video system with the cameras it currently sees',
    description:
      'Marks the listed cameras as seen (online, or offline if they report `fault`) and records the ' +
      "system's own heartbeat. Answers which listed cameras are unknown or decommissioned.",
  })
  @Operation(P.reportHeartbeat)
  systemHeartbeat(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: SystemHeartbeatDto,
    @CurrentPrincipal() caller: Principal,
  ) {
    return this.reportSystemHeartbeat.execute({ actor: caller, videoSystemId: id, heartbeat: dto });
  }

  @Post('cameras/:id/heartbeats')
  @HttpCode(200)
  @ApiOperation({ summary: 'Heartbeat of one camera', description: "Answers the camera's health." })
  @Operation(P.reportHeartbeat)
  cameraHeartbeat(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CameraHeartbeatDto,
    @CurrentPrincipal() caller: Principal,
  ) {
    return this.reportCameraHeartbeat.execute({ actor: caller, cameraId: id, heartbeat: dto });
  }
}
