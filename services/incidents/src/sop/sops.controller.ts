import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, type Principal } from '@safecity/security';
import { INCIDENTS_POLICIES as P } from '../incidents.policies';
import { CompleteStepDto, SopDto } from './sop.dto';
import {
  CompleteSopStepUseCase,
  PublishNationalSopUseCase,
  PublishRegionalSopUseCase,
  ReadIncidentSopUseCase,
  ReadNationalSopUseCase,
  ReadRegionalSopUseCase,
} from './use-cases';

@ApiTags('SOPs')
@ApiBearerAuth()
@Controller()
export class SopsController {
  constructor(
    private readonly publishNationalSop: PublishNationalSopUseCase,
    private readonly publishRegionalSop: PublishRegionalSopUseCase,
    private readonly readNationalSop: ReadNationalSopUseCase,
    private readonly readRegionalSop: ReadRegionalSopUseCase,
    private readonly readIncidentSop: ReadIncidentSopUseCase,
    private readonly completeSopStep: CompleteSopStepUseCase,
  ) {}

  /**
   * A new version of the category's national checklist, by national supervisors and admins only;
   * incidents already open keep theirs, regions with their own version keep that.
   */
  @Put('sops/:category')
  @Operation(P.publishNationalSop)
  publish(@Param('category') category: string, @Body() dto: SopDto, @CurrentPrincipal() editor: Principal) {
    return this.publishNationalSop.execute({ actor: editor, category, checklist: dto });
  }

  /** A new version of a region's own checklist: only that region's new incidents get it. */
  @Put('sops/:category/regions/:regionCode')
  @Operation(P.publishRegionalSop)
  publishRegional(
    @Param('category') category: string,
    @Param('regionCode') regionCode: string,
    @Body() dto: SopDto,
    @CurrentPrincipal() editor: Principal,
  ) {
    return this.publishRegionalSop.execute({ actor: editor, category, regionCode, checklist: dto });
  }

  @Get('sops/:category')
  @Operation(P.readNationalSop)
  current(@Param('category') category: string, @CurrentPrincipal() reader: Principal) {
    return this.readNationalSop.execute({ actor: reader, category });
  }

  /** The checklist the region's new incidents get: its own version, or else the national one. */
  @Get('sops/:category/regions/:regionCode')
  @Operation(P.readRegionalSop)
  currentIn(
    @Param('category') category: string,
    @Param('regionCode') regionCode: string,
    @CurrentPrincipal() reader: Principal,
  ) {
    return this.readRegionalSop.execute({ actor: reader, category, regionCode });
  }

  @Get('incidents/:id/sop')
  @Operation(P.readIncidentSop)
  progress(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    return this.readIncidentSop.execute({ actor, incidentId: id });
  }

  @Post('incidents/:id/sop/steps/:stepId')
  @Operation(P.completeSopStep)
  complete(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('stepId') stepId: string,
    @Body() dto: CompleteStepDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.completeSopStep.execute({ actor, incidentId: id, stepId, note: dto.note ?? '' });
  }
}
