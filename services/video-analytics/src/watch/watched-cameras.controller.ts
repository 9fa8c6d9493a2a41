import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, RegionScope, type Principal } from '@safecity/security';
import { VIDEO_ANALYTICS_POLICIES as P } from '../video-analytics.policies';
import { WatchSupervisor } from './watch-supervisor';

@ApiTags('video analytics')
@ApiBearerAuth()
@Controller('watched-cameras')
export class WatchedCamerasController {
  constructor(private readonly supervisor: WatchSupervisor) {}

  @Get()
  @Operation(P.readWatchedCameras)
  @ApiOperation({
    summary: 'The cameras this instance watches, how it reads them and how they are doing',
    description: 'Addresses and credentials are never shown; only cameras of the caller’s regions.',
  })
  list(@CurrentPrincipal() actor: Principal) {
    const scope = RegionScope.of(actor);
    const status = this.supervisor.status();
    return { ...status, cameras: status.cameras.filter((c) => scope.includes(c.regionCode)) };
  }
}
