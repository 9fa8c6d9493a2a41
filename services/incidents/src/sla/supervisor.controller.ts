import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, Purpose, type Principal } from '@safecity/security';
import { INCIDENTS_POLICIES as P } from '../incidents.policies';
import { DEFAULT_READ_PURPOSE } from '../incidents/face-match-reads';
import { ReadSupervisorOverviewUseCase } from './use-cases/read-supervisor-overview/read-supervisor-overview.use-case';

/** What a supervisor watches: open incidents past an SLA deadline, and deviations from SOPs. */
@ApiTags('supervisor')
@ApiBearerAuth()
@Controller('supervisor')
export class SupervisorController {
  constructor(private readonly readSupervisorOverview: ReadSupervisorOverviewUseCase) {}

  @Get('overview')
  @Operation(P.supervisorOverview)
  overview(
    @CurrentPrincipal() principal: Principal,
    @Purpose(DEFAULT_READ_PURPOSE) purpose: string,
    @Query('regionCode') regionCode?: string,
  ) {
    return this.readSupervisorOverview.execute({ actor: principal, purpose, regionCode });
  }
}
