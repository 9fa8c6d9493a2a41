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
import { caseView, measureView, reviewState } from './case-view';
import {
  AssessRiskUseCase,
  ChangeCaseStatusUseCase,
  GetCaseUseCase,
  LinkIncidentUseCase,
  ListCasesUseCase,
  ListDueReviewsUseCase,
  ListOverdueMeasuresUseCase,
  OpenCaseUseCase,
  PlanMeasureUseCase,
  ReadCaseTimelineUseCase,
  ReadRiskFactorsUseCase,
  RecordReviewUseCase,
  UpdateCaseUseCase,
  UpdateMeasureUseCase,
} from './use-cases';
import type { ListedCase } from './use-cases/list-cases/list-cases.use-case';

/** A case in a list: people and families by reference only, with its review and measure state. */
function caseSummary({ row, measures }: ListedCase, now: Date) {
  const own = measures.map((x) => measureView(x, now));
  return {
    id: row.id,
    number: row.number,
    regionCode: row.regionCode,
    districtCode: row.districtCode,
    subject: { id: row.subjectId, kind: row.subjectKind },
    category: row.category,
    riskLevel: row.riskLevel,
    status: row.status,
    outcome: row.outcome,
    ownerAgency: row.ownerAgency,
    responsibleOfficer: row.responsibleOfficer,
    agencies: row.agencies,
    ...reviewState(row, now),
    measuresTotal: own.length,
    overdueMeasures: own.filter((x) => x.overdue).length,
    openedAt: row.openedAt,
    closedAt: row.closedAt,
    version: row.version,
  };
}

/**
 * Prevention officers run cases; social workers take part (read, assess risk, plan and record
 * measures, review). Analysts see figures, never cases.
 */
@ApiTags('prevention cases')
@ApiBearerAuth()
@Controller()
export class CasesController {
  constructor(
    private readonly readRiskFactors: ReadRiskFactorsUseCase,
    private readonly openCase: OpenCaseUseCase,
    private readonly listCases: ListCasesUseCase,
    private readonly getCase: GetCaseUseCase,
    private readonly updateCase: UpdateCaseUseCase,
    private readonly assessRisk: AssessRiskUseCase,
    private readonly changeCaseStatus: ChangeCaseStatusUseCase,
    private readonly recordReview: RecordReviewUseCase,
    private readonly readCaseTimeline: ReadCaseTimelineUseCase,
    private readonly linkIncidentToCase: LinkIncidentUseCase,
    private readonly planMeasure: PlanMeasureUseCase,
    private readonly updateCaseMeasure: UpdateMeasureUseCase,
    private readonly listOverdueMeasures: ListOverdueMeasuresUseCase,
    private readonly listDueReviews: ListDueReviewsUseCase,
  ) {}

  @Get('risk-factors')
  @Operation(P.readRiskFactors)
  catalogue(@CurrentPrincipal() actor: Principal) {
    return this.readRiskFactors.execute({ actor });
  }

  @Post('cases')
  @Operation(P.openCase)
  open(@Body() dto: OpenCaseDto, @CurrentPrincipal() actor: Principal, @Purpose() purpose?: string) {
    return this.openCase.execute({ actor, case: dto, purpose });
  }

  @Get('cases')
  @Operation(P.listCases)
  async list(@Query() query: ListCasesQueryDto, @CurrentPrincipal() actor: Principal) {
    const { limit, cursor, ...filter } = query;
    const page = await this.listCases.execute({ actor, filter, limit, cursor });
    const now = new Date();
    return { items: page.items.map((listed) => caseSummary(listed, now)), nextCursor: page.nextCursor };
  }

  /** `X-Purpose` is required when the subject is a person or a family, and recorded in the audit log. */
  @Get('cases/:id')
  @Operation(P.getCase)
  async get(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() actor: Principal,
    @Purpose() purpose?: string,
  ) {
    const read = await this.getCase.execute({ actor, id, purpose, disclosure: 'subject' });
    return caseView(read.details, new Date(), read.subjectShown);
  }

  @Patch('cases/:id')
  @Operation(P.steerCase)
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateCaseDto,
    @CurrentPrincipal() actor: Principal,
    @Purpose() purpose?: string,
  ) {
    return this.updateCase.execute({ actor, id, changes: dto, purpose });
  }

  @Put('cases/:id/risk-assessment')
  @Operation(P.workOnCase)
  assess(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RiskAssessmentDto,
    @CurrentPrincipal() actor: Principal,
    @Purpose() purpose?: string,
  ) {
    return this.assessRisk.execute({ actor, id, assessment: dto, purpose });
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
    return this.changeCaseStatus.execute({ actor, id, change: dto, purpose });
  }

  @Post('cases/:id/reviews')
  @Operation(P.workOnCase)
  review(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RecordReviewDto,
    @CurrentPrincipal() actor: Principal,
    @Purpose() purpose?: string,
  ) {
    return this.recordReview.execute({ actor, id, review: dto, purpose });
  }

  @Get('cases/:id/timeline')
  @Operation(P.readTimeline)
  timeline(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() actor: Principal,
    @Purpose() purpose?: string,
  ) {
    return this.readCaseTimeline.execute({ actor, id, purpose });
  }

  @Post('cases/:id/incidents')
  @Operation(P.steerCase)
  linkIncident(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: LinkIncidentDto,
    @CurrentPrincipal() actor: Principal,
    @Purpose() purpose?: string,
  ) {
    return this.linkIncidentToCase.execute({ actor, id, link: dto, purpose });
  }

  @Post('cases/:id/measures')
  @Operation(P.workOnCase)
  plan(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: PlanMeasureDto,
    @CurrentPrincipal() actor: Principal,
    @Purpose() purpose?: string,
  ) {
    return this.planMeasure.execute({ actor, id, measure: dto, purpose });
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
    return this.updateCaseMeasure.execute({ actor, id, measureId, changes: dto, purpose });
  }

  @Get('measures/overdue')
  @Operation(P.readDueWork)
  overdue(@Query() query: RegionQueryDto, @CurrentPrincipal() actor: Principal) {
    return this.listOverdueMeasures.execute({ actor, regionCode: query.regionCode });
  }

  @Get('reviews/due')
  @Operation(P.readDueWork)
  dueReviews(@Query() query: RegionQueryDto, @CurrentPrincipal() actor: Principal) {
    return this.listDueReviews.execute({ actor, regionCode: query.regionCode });
  }
}
