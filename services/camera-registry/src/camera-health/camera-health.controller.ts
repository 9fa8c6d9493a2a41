import { Body, Controller, Get, Param, ParseUUIDPipe, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, type Principal } from '@safecity/security';
import { CAMERA_REGISTRY_POLICIES as P } from '../camera-registry.policies';
import { CameraHealthSettingsDto, UptimeQueryDto, VideoSystemHealthSettingsDto } from './heartbeat.dto';
import {
  ReadCameraHealthUseCase,
  ReadCameraUptimeUseCase,
  ReadVideoSystemHealthUseCase,
  SetCameraHealthSettingsUseCase,
  SetVideoSystemHealthSettingsUseCase,
} from './use-cases';

@ApiTags('camera health')
@ApiBearerAuth()
@Controller()
export class CameraHealthController {
  constructor(
    private readonly readCameraHealth: ReadCameraHealthUseCase,
    private readonly readCameraUptime: ReadCameraUptimeUseCase,
    private readonly readVideoSystemHealth: ReadVideoSystemHealthUseCase,
    private readonly setCameraHealthSettings: SetCameraHealthSettingsUseCase,
    private readonly setVideoSystemHealthSettings: SetVideoSystemHealthSettingsUseCase,
  ) {}

  @Get('cameras/:id/health')
  @ApiOperation({
    summary: "A camera's published and observed status, last heartbeat and expected interval",
    description:
      'A camera is offline once silent for its expected interval times the missed-heartbeat allowance ' +
      '(3 by default). Flapping damping: a camera whose observed status changed more than 4 times in ' +
      '10 minutes keeps its published status (`flapping: true`) until its observed status has been ' +
      'stable for 10 minutes; then the observed status is published if it differs.',
  })
  @Operation(P.readHealth)
  camera(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    return this.readCameraHealth.execute({ actor, cameraId: id });
  }

  @Get('cameras/:id/uptime')
  @ApiOperation({
    summary: 'Uptime of a camera per day',
    description:
      'Days are calendar days in Asia/Almaty time (UTC+05:00), `from` and `to` inclusive, at most 92 ' +
      'days. Computed from the observed status history, flapping included. `uptimeRatio` is the online ' +
      'share of the time the status was known (null if it never was); time after now is not counted.',
  })
  @Operation(P.readHealth)
  uptime(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: UptimeQueryDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.readCameraUptime.execute({ actor, cameraId: id, from: query.from, to: query.to });
  }

  @Put('cameras/:id/health-settings')
  @ApiOperation({ summary: "Sets a camera's expected heartbeat interval (null inherits the video system's)" })
  @Operation(P.setHealthSettings)
  setCameraSettings(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CameraHealthSettingsDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.setCameraHealthSettings.execute({
      actor,
      cameraId: id,
      expectedIntervalSeconds: dto.expectedIntervalSeconds,
    });
  }

  @Get('video-systems/:id/health')
  @ApiOperation({
    summary: "A video system's last heartbeat and its monitored cameras by status",
    description: 'Decommissioned cameras are not monitored and not counted.',
  })
  @Operation(P.readHealth)
  videoSystem(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    return this.readVideoSystemHealth.execute({ actor, videoSystemId: id });
  }

  @Put('video-systems/:id/health-settings')
  @ApiOperation({ summary: "Sets a video system's heartbeat interval, the default of its cameras" })
  @Operation(P.setHealthSettings)
  setVideoSystemSettings(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: VideoSystemHealthSettingsDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.setVideoSystemHealthSettings.execute({
      actor,
      videoSystemId: id,
      heartbeatIntervalSeconds: dto.heartbeatIntervalSeconds,
    });
  }
}
