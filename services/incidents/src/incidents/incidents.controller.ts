import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, Purpose, type Principal } from '@safecity/security';
import { decodeCursor, encodeCursor, type Page } from '@safecity/service-kit';
import type { Response } from 'express';
import { INCIDENTS_POLICIES as P } from '../incidents.policies';
import { CategoryNames, PriorityNames, SourceKindNames, StateNames } from './enum-names';
import { DEFAULT_READ_PURPOSE } from './face-match-reads';
import { ListIncidentsQuery, OpenIncidentDto, TransitionDto } from './incident.dto';
import { IllegalTransitionFilter } from './illegal-transition.filter';
import { incidentDetailView, incidentView, type IncidentView } from './incident.model';
import { LIST_CURSOR } from './incidents.repository';
import {
  GetIncidentUseCase,
  ListIncidentsUseCase,
  OpenIncidentUseCase,
  TransitionIncidentUseCase,
} from './use-cases';

const DEFAULT_PAGE = 50;

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('incidents')
export class IncidentsController {
  constructor(
    private readonly listIncidents: ListIncidentsUseCase,
    private readonly openIncident: OpenIncidentUseCase,
    private readonly getIncident: GetIncidentUseCase,
    private readonly transitionIncident: TransitionIncidentUseCase,
  ) {}

  /** Every face-match incident on the page is audited, with the purpose stated in `X-Purpose`. */
  @Get()
  @Operation(P.listIncidents)
  async list(
    @Query() query: ListIncidentsQuery,
    @CurrentPrincipal() actor: Principal,
    @Purpose(DEFAULT_READ_PURPOSE) purpose: string,
  ): Promise<Page<IncidentView>> {
    const page = await this.listIncidents.execute({
      actor,
      purpose,
      filter: {
        states: query.state?.map((name) => StateNames.fromName(name)!),
        categories: query.category?.map((name) => CategoryNames.fromName(name)!),
        sourceKinds: query.sourceKind?.map((name) => SourceKindNames.fromName(name)!),
        minPriority: query.minPriority ? PriorityNames.fromName(query.minPriority) : undefined,
        regionCode: query.regionCode,
        operationsCenterId: query.operationsCenterId,
        createdFrom: query.createdFrom ? new Date(query.createdFrom) : undefined,
        createdTo: query.createdTo ? new Date(query.createdTo) : undefined,
      },
      limit: query.limit ?? DEFAULT_PAGE,
      after: decodeCursor(query.cursor, LIST_CURSOR),
    });
    return {
      items: page.incidents.map((row) => incidentView(row)),
      nextCursor: page.next ? encodeCursor({ ...page.next }) : null,
    };
  }

  @Post()
  @Operation(P.openIncident)
  open(@Body() dto: OpenIncidentDto, @CurrentPrincipal() actor: Principal) {
    return this.openIncident.execute({ actor, incident: dto });
  }

  /** A read of an incident with a face match is audited, with the purpose stated in `X-Purpose`. */
  @Get(':id')
  @Operation(P.getIncident)
  async get(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() actor: Principal,
    @Purpose(DEFAULT_READ_PURPOSE) purpose: string,
  ) {
    return incidentDetailView(await this.getIncident.execute({ actor, id, purpose }));
  }

  /** 200 when the incident moved; 202 when a verification waits for another person's confirmation. */
  @Post(':id/transitions')
  @Operation(P.transitionIncident)
  @ApiOkResponse({ description: 'the incident moved: `{ incident }`' })
  @ApiAcceptedResponse({
    description:
      "a face match's first verification is recorded and waits for a second person's: " +
      '`{ incident, verification: { confirmations, required } }`, the incident not yet moved',
  })
  @HttpCode(200)
  @UseFilters(IllegalTransitionFilter)
  async transition(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: TransitionDto,
    @CurrentPrincipal() actor: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    const outcome = await this.transitionIncident.execute({ actor, id, step: dto });
    if (outcome.verification) response.status(202);
    return outcome;
  }
}
