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
import { CurrentPrincipal, Purpose, Roles, type Principal } from '@safecity/security';
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
@Roles('admin', 'prevention-officer', 'social-worker')
@Controller()
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  @Get('risk-factors')
  catalogue() {
    return Object.entries(RISK_FACTOR_CATALOGUE).map(([code, f]) => ({ code, ...f }));
  }

  @Post('cases')
  @Roles('admin', 'prevention-officer')
  open(@Body() dto: OpenCaseDto, @CurrentPrincipal() actor: Principal) {
    return this.cases.open(dto, actor);
  }

  @Get('cases')
  list(@Query() query: ListCasesQueryDto, @CurrentPrincipal() actor: Principal) {
    return this.cases.list(query, actor);
  }

  /** `X-Purpose` is required when the subject is a person or a family, and recorded in the audit log. */
  @Get('cases/:id')
  get(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() actor: Principal,
    @Purpose() purpose?: string,
  ) {
    return this.cases.get(id, actor, purpose);
  }

  @Patch('cases/:id')
  @Roles('admin', 'prevention-officer')
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateCaseDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.cases.update(id, dto, actor);
  }

  @Put('cases/:id/risk-assessment')
  assess(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RiskAssessmentDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.cases.assessRisk(id, dto, actor);
  }

  @Post('cases/:id/status')
  @HttpCode(200)
  @Roles('admin', 'prevention-officer')
  status(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ChangeStatusDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.cases.changeStatus(id, dto, actor);
  }

  @Post('cases/:id/reviews')
  review(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RecordReviewDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.cases.recordReview(id, dto, actor);
  }

  @Get('cases/:id/timeline')
  timeline(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() actor: Principal,
    @Purpose() purpose?: string,
  ) {
    return this.cases.timeline(id, actor, purpose);
  }

  @Post('cases/:id/incidents')
  @Roles('admin', 'prevention-officer')
  linkIncident(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: LinkIncidentDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.cases.linkIncident(id, dto, actor);
  }

  @Post('cases/:id/measures')
  plan(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: PlanMeasureDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.cases.planMeasure(id, dto, actor);
  }

  @Patch('cases/:id/measures/:measureId')
  updateMeasure(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('measureId', ParseUUIDPipe) measureId: string,
    @Body() dto: UpdateMeasureDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.cases.updateMeasure(id, measureId, dto, actor);
  }

  @Get('measures/overdue')
  overdue(@Query() query: RegionQueryDto, @CurrentPrincipal() actor: Principal) {
    return this.cases.overdueMeasures(actor, query.regionCode);
  }

  @Get('reviews/due')
  dueReviews(@Query() query: RegionQueryDto, @CurrentPrincipal() actor: Principal) {
    return this.cases.dueReviews(actor, query.regionCode);
  }
}
