import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, type Principal } from '@safecity/security';
import { INCIDENTS_POLICIES as P } from '../incidents.policies';
import { CreateUnitDto, ListUnitsQuery, UpdateUnitDto } from './unit.dto';
import { CreateUnitUseCase, ListUnitsUseCase, UpdateUnitUseCase } from './use-cases';

@ApiTags('units')
@ApiBearerAuth()
@Controller('units')
export class UnitsController {
  constructor(
    private readonly createUnit: CreateUnitUseCase,
    private readonly updateUnit: UpdateUnitUseCase,
    private readonly listUnits: ListUnitsUseCase,
  ) {}

  @Post()
  @Operation(P.createUnit)
  create(@Body() dto: CreateUnitDto, @CurrentPrincipal() actor: Principal) {
    return this.createUnit.execute({ actor, unit: dto });
  }

  /** Status and position as the crew (or its vehicle's tracker, through a service) reports them. */
  @Patch(':id')
  @Operation(P.updateUnit)
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateUnitDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.updateUnit.execute({ actor, id, report: dto });
  }

  @Get()
  @Operation(P.listUnits)
  list(@Query() query: ListUnitsQuery, @CurrentPrincipal() actor: Principal) {
    return this.listUnits.execute({ actor, query });
  }
}
