import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Purpose, RegionScope, Roles, type Principal } from '@safecity/security';
import type { Response } from 'express';
import { visibleSourceKinds } from '../live/visibility';
import { DEFAULT_READ_PURPOSE } from './face-match-reads';
import { ListIncidentsQuery, OpenIncidentDto, TransitionDto } from './incident.dto';
import { IncidentsService } from './incidents.service';

@ApiTags('incidents')
@ApiBearerAuth()
@Roles('admin', 'region-admin', 'operator', 'supervisor', 'analyst', 'service')
@Controller('incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Get()
  list(@Query() query: ListIncidentsQuery, @CurrentPrincipal() actor: Principal) {
    return this.incidents.list(query, RegionScope.of(actor), visibleSourceKinds(actor));
  }

  @Post()
  @Roles('operator', 'supervisor')
  open(@Body() dto: OpenIncidentDto, @CurrentPrincipal() actor: Principal) {
    return this.incidents.open(dto, actor);
  }

  /** A read of an incident with a face match is audited, with the purpose stated in `X-Purpose`. */
  @Get(':id')
  get(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() actor: Principal,
    @Purpose(DEFAULT_READ_PURPOSE) purpose: string,
  ) {
    return this.incidents.get(id, RegionScope.of(actor), visibleSourceKinds(actor), { actor, purpose });
  }

  /** 200 when the incident moved; 202 when a verification waits for another person's confirmation. */
  @Post(':id/transitions')
  @HttpCode(200)
  @ApiOkResponse({ description: 'the incident moved: `{ incident }`' })
  @ApiAcceptedResponse({
    description:
      "a face match's first verification is recorded and waits for a second person's: " +
      '`{ incident, verification: { confirmations, required } }`, the incident not yet moved',
  })
  @Roles('operator', 'supervisor')
  async transition(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: TransitionDto,
    @CurrentPrincipal() actor: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    const outcome = await this.incidents.transition(id, dto, actor);
    if (outcome.verification) response.status(202);
    return outcome;
  }
}
