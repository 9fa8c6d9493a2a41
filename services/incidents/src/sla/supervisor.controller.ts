import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, type Principal } from '@safecity/security';
import { INCIDENTS_POLICIES as P } from '../incidents.policies';
import { DEFAULT_READ_PURPOSE, PURPOSE_HEADER, ReadPurpose } from '../incidents/face-match-reads';
import { SupervisorOverview } from './supervisor-overview';

/** What a supervisor watches: open incidents past an SLA deadline, and deviations from SOPs. */
@ApiTags('supervisor')
@ApiBearerAuth()
@Controller('supervisor')
export class SupervisorController {
  constructor(private readonly overviews: SupervisorOverview) {}

  @Get('overview')
  @Operation(P.supervisorOverview)
  @ApiHeader({ name: PURPOSE_HEADER, required: false, description: `default "${DEFAULT_READ_PURPOSE}"` })
  overview(
    @CurrentPrincipal() principal: Principal,
    @ReadPurpose() purpose: string,
    @Query('regionCode') regionCode?: string,
  ) {
    return this.overviews.overview({ actor: principal, purpose }, regionCode);
  }
}
