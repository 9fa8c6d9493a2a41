import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { CurrentPrincipal, Operation, type Principal } from '@safecity/security';
import { INCIDENTS_POLICIES as P } from '../incidents.policies';
import type { Response } from 'express';
import { CitizenReportDto } from './citizen-report.dto';
import { UnprocessableBodyPipe } from './unprocessable-body.pipe';
import { CITIZEN, ReadCitizenReportStatusUseCase, SubmitCitizenReportUseCase } from './use-cases';

@ApiTags('citizen reports')
@Controller('citizen-reports')
export class CitizenReportsController {
  constructor(
    private readonly submitCitizenReport: SubmitCitizenReportUseCase,
    private readonly readCitizenReportStatus: ReadCitizenReportStatusUseCase,
  ) {}

  /**
   * Intake from citizen channels ("Заң мен Тәртіп", e-government, bank apps) with their own service
   * identity, and from hotline operators. 201 with the acknowledgement id; 200 with the same one
   * when the channel re-posts a report; 422 for missing fields or oversize media references;
   * 429 when one citizen floods.
   */
  @Post()
  @ApiBearerAuth()
  @ApiBody({ type: CitizenReportDto })
  @ApiCreatedResponse({ description: 'the acknowledgement the citizen follows the report by' })
  @ApiOkResponse({ description: 'the channel re-posted a report: the acknowledgement it was given' })
  @ApiTooManyRequestsResponse({
    description: 'a flood from one citizen id, or from one source without citizen ids; see Retry-After',
  })
  @Operation(P.submitCitizenReport)
  @HttpCode(201)
  async submit(
    // Declared unknown so the global pipe (400) leaves it to this one (422).
    @Body(new UnprocessableBodyPipe(CitizenReportDto)) body: unknown,
    @CurrentPrincipal() submitter: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    // The channel gets the acknowledgement only; incident ids stay inside the platform. A flood
    // is refused 429 with Retry-After by the domain errors' mapping.
    const { acknowledgement } = await this.submitCitizenReport.execute({
      actor: submitter,
      report: body as CitizenReportDto,
    });
    if (acknowledgement.duplicate) response.status(200);
    return acknowledgement;
  }

  /** For the citizen: the progress of a report, by the acknowledgement id they were given. */
  @Get(':acknowledgementId/status')
  @Operation(P.citizenReportStatus)
  status(@Param('acknowledgementId') acknowledgementId: string, @CurrentPrincipal() caller?: Principal) {
    return this.readCitizenReportStatus.execute({ actor: caller ?? CITIZEN, acknowledgementId });
  }
}
