import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RegionScope, Roles, type Principal } from '@safecity/security';
import { CompleteStepDto, SopDto } from './sop.dto';
import { SopsService } from './sops.service';

@ApiTags('SOPs')
@ApiBearerAuth()
@Controller()
export class SopsController {
  constructor(private readonly sops: SopsService) {}

  /** A new version of the category's checklist; incidents already open keep theirs. */
  @Put('sops/:category')
  @Roles('supervisor', 'admin')
  publish(@Param('category') category: string, @Body() dto: SopDto, @CurrentPrincipal() editor: Principal) {
    return this.sops.publish(category, dto, editor);
  }

  @Get('sops/:category')
  @Roles('operator', 'supervisor', 'admin', 'analyst')
  current(@Param('category') category: string) {
    return this.sops.current(category);
  }

  @Get('incidents/:id/sop')
  @Roles('operator', 'supervisor', 'admin', 'analyst')
  progress(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    return this.sops.progress(id, RegionScope.of(actor));
  }

  @Post('incidents/:id/sop/steps/:stepId')
  @Roles('operator', 'supervisor')
  complete(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('stepId') stepId: string,
    @Body() dto: CompleteStepDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.sops.completeStep(id, stepId, dto.note ?? '', actor);
  }
}
