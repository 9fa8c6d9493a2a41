import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, type Principal } from '@safecity/security';
import { INCIDENTS_POLICIES as P } from '../incidents.policies';
import { CreateUnitDto, ListUnitsQuery, UpdateUnitDto } from './unit.dto';
import { UnitsService } from './units.service';

@ApiTags('units')
@ApiBearerAuth()
@Controller('units')
export class UnitsController {
  constructor(private readonly units: UnitsService) {}

  @Post()
  @Operation(P.createUnit)
  create(@Body() dto: CreateUnitDto, @CurrentPrincipal() actor: Principal) {
    return this.units.create(dto, actor);
  }

  /** Status and position as the crew (or its vehicle's tracker, through a service) reports them. */
  @Patch(':id')
  @Operation(P.updateUnit)
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateUnitDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.units.update(id, dto, actor);
  }

  @Get()
  @Operation(P.listUnits)
  list(@Query() query: ListUnitsQuery, @CurrentPrincipal() actor: Principal) {
    return this.units.list(query, actor);
  }
}
