import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RegionScope, Roles, type Principal } from '@safecity/security';
import { WatchSupervisor } from './watch-supervisor';

@ApiTags('video analytics')
@ApiBearerAuth()
@Controller('watched-cameras')
@Roles('admin', 'region-admin', 'service')
export class WatchedCamerasController {
  constructor(private readonly supervisor: WatchSupervisor) {}

  @Get()
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
