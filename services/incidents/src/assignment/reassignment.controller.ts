import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, type Principal } from '@safecity/security';
import { INCIDENTS_POLICIES as P } from '../incidents.policies';
import { ReassignmentDto } from './reassignment.dto';
import { ReassignIncidentUseCase } from './use-cases/reassign-incident/reassign-incident.use-case';

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('incidents')
export class ReassignmentController {
  constructor(private readonly reassignIncident: ReassignIncidentUseCase) {}

  /** Hands the incident to another operator and/or operations center of its region. */
  @Post(':id/assignment')
  @HttpCode(200)
  @Operation(P.reassignIncident)
  reassign(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReassignmentDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.reassignIncident.execute({ actor, id, handover: dto });
  }
}
