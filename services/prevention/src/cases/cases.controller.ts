import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, Purpose, type Principal } from '@safecity/security';
import { PREVENTION_POLICIES as P } from '../prevention.policies';
import { RISK_FACTOR_CATALOGUE } from '../domain/vocabulary';
import {
  ChangeStatusDto,
  LinkIncidentDto,
  ListCasesQueryDto,
  OpenCaseDto,
  PlanMeasureDto,
  RecordReviewDto,
  RegionQueryDto,
  RiskAssessmentDto,
  UpdateCaseDto,
  UpdateMeasureDto,
} from './case.dto';
import { CasesService } from './cases.service';

/**
 * Prevention officers run cases; social workers take part (read, assess risk, plan and record
 * measures, review). Analysts see figures, never cases.
 */
@ApiTags('prevention cases')
@ApiBearerAuth()
@Controller()
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  @Get('risk-factors')
  @Operation(P.readRiskFactors)
  catalogue() {
    return Object.entries(RISK_FACTOR_CATALOGUE).map(([code, f]) => ({ code, ...f }));
  }

  @Post('cases')
  @Operation(P.openCase)
  open(@Body() dto: OpenCaseDto, @CurrentPrincipal() actor: Principal, @Purpose() purpose?: string) {
    return this.cases.open(dto, actor, undefined, purpose);
  }

  @Get('cases')
  @Operation(P.listCases)
  list(@Query() query: ListCasesQueryDto, @CurrentPrincipal() actor: Principal) {
    return this.cases.list(query, actor);
  }

  /** `X-Purpose` is required when the subject is a person or a family, and recorded in the audit log. */
  @Get('cases/:id')
  @Operation(P.getCase)
  get(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() actor: Principal,
    @Purpose() purpose?: string,
  ) {
    return this.cases.get(id, actor, purpose);
  }

  @Patch('cases/:id')
  @Operation(P.steerCase)
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateCaseDto,
    @CurrentPrincipal() actor: Principal,
    @Purpose() purpose?: string,
  ) {
    return this.cases.update(id, dto, actor, purpose);
  }

  @Put('cases/:id/risk-assessment')
  @Operation(P.workOnCase)
  assess(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RiskAssessmentDto,
    @CurrentPrincipal() actor: Principal,
    @Purpose() purpose?: string,
  ) {
    return this.cases.assessRisk(id, dto, actor, purpose);
  }

  @Post('cases/:id/status')
  @HttpCode(200)
  @Operation(P.steerCase)
  status(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ChangeStatusDto,
    @CurrentPrincipal() actor: Principal,
    @Purpose() purpose?: string,
  ) {
    return this.cases.changeStatus(id, dto, actor, purpose);
  }

  @Post('cases/:id/reviews')
  @Operation(P.workOnCase)
  review(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RecordReviewDto,
    @CurrentPrincipal() actor: Principal,
    @Purpose() purpose?: string,
  ) {
    return this.cases.recordReview(id, dto, actor, purpose);
  }

  @Get('cases/:id/timeline')
  @Operation(P.readTimeline)
  timeline(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() actor: Principal,
    @Purpose() purpose?: string,
  ) {
    return this.cases.timeline(id, actor, purpose);
  }

  @Post('cases/:id/incidents')
  @Operation(P.steerCase)
  linkIncident(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: LinkIncidentDto,
    @CurrentPrincipal() actor: Principal,
    @Purpose() purpose?: string,
  ) {
    return this.cases.linkIncident(id, dto, actor, purpose);
  }

  @Post('cases/:id/measures')
  @Operation(P.workOnCase)
  plan(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: PlanMeasureDto,
    @CurrentPrincipal() actor: Principal,
    @Purpose() purpose?: string,
  ) {
    return this.cases.planMeasure(id, dto, actor, purpose);
  }

  @Patch('cases/:id/measures/:measureId')
  @Operation(P.workOnCase)
  updateMeasure(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('measureId', ParseUUIDPipe) measureId: string,
    @Body() dto: UpdateMeasureDto,
    @CurrentPrincipal() actor: Principal,
    @Purpose() purpose?: string,
  ) {
    return this.cases.updateMeasure(id, measureId, dto, actor, purpose);
  }

  @Get('measures/overdue')
  @Operation(P.readDueWork)
  overdue(@Query() query: RegionQueryDto, @CurrentPrincipal() actor: Principal) {
    return this.cases.overdueMeasures(actor, query.regionCode);
  }

  @Get('reviews/due')
  @Operation(P.readDueWork)
  dueReviews(@Query() query: RegionQueryDto, @CurrentPrincipal() actor: Principal) {
    return this.cases.dueReviews(actor, query.regionCode);
  }
}
