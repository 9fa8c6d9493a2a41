import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, RegionScope, type Principal } from '@safecity/security';
import { INCIDENTS_POLICIES as P } from '../incidents.policies';
import { CompleteStepDto, SopDto } from './sop.dto';
import { SopsService } from './sops.service';

@ApiTags('SOPs')
@ApiBearerAuth()
@Controller()
export class SopsController {
  constructor(private readonly sops: SopsService) {}

  /**
   * A new version of the category's national checklist, by national supervisors and admins only;
   * incidents already open keep theirs, regions with their own version keep that.
   */
  @Put('sops/:category')
  @Operation(P.publishNationalSop)
  publish(@Param('category') category: string, @Body() dto: SopDto, @CurrentPrincipal() editor: Principal) {
    return this.sops.publishNational(category, dto, editor);
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
    return this.sops.publishRegional(category, regionCode, dto, editor);
  }

  @Get('sops/:category')
  @Operation(P.readNationalSop)
  current(@Param('category') category: string, @CurrentPrincipal() reader: Principal) {
    return this.sops.current(category, reader);
  }

  /** The checklist the region's new incidents get: its own version, or else the national one. */
  @Get('sops/:category/regions/:regionCode')
  @Operation(P.readRegionalSop)
  currentIn(
    @Param('category') category: string,
    @Param('regionCode') regionCode: string,
    @CurrentPrincipal() reader: Principal,
  ) {
    return this.sops.currentIn(category, regionCode, reader);
  }

  @Get('incidents/:id/sop')
  @Operation(P.readIncidentSop)
  progress(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    return this.sops.progress(id, RegionScope.of(actor));
  }

  @Post('incidents/:id/sop/steps/:stepId')
  @Operation(P.completeSopStep)
  complete(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('stepId') stepId: string,
    @Body() dto: CompleteStepDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.sops.completeStep(id, stepId, dto.note ?? '', actor);
  }
}
