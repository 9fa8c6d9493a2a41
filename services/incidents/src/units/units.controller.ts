import {
  Body,
  ConflictException,
  Controller,
  Get,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RegionScope, Roles, type Principal } from '@safecity/security';
import { UnprocessableFieldException } from '@safecity/service-kit';
import { IncidentsService } from '../incidents/incidents.service';
import { CreateUnitDto, ListUnitsQuery, UpdateUnitDto } from './unit.dto';
import { UnitsRepository } from './units.repository';

@ApiTags('units')
@ApiBearerAuth()
@Controller('units')
export class UnitsController {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly units: UnitsRepository,
  ) {}

  @Post()
  @Roles('supervisor', 'admin')
  async create(@Body() dto: CreateUnitDto, @CurrentPrincipal() actor: Principal) {
    const scope = RegionScope.of(actor);
    if (!scope.includes(dto.regionCode)) {
      throw new UnprocessableFieldException('regionCode', `region ${dto.regionCode} is outside your regions`);
    }
    const unit = await this.incidents.inScope(scope, (m) =>
      this.units.insert(m, { ...dto, operationsCenterId: dto.operationsCenterId ?? null }),
    );
    if (!unit) throw new ConflictException(`call sign ${dto.callSign} is already used in ${dto.regionCode}`);
    return unit;
  }

  /** Status and position as the crew (or its vehicle's tracker, through a service) reports them. */
  @Patch(':id')
  @Roles('operator', 'supervisor', 'service')
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateUnitDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    const scope = RegionScope.of(actor);
    return this.incidents.inScope(scope, async (m) => {
      const unit = await this.units.findById(m, id, true);
      if (!unit || !scope.includes(unit.regionCode)) throw new NotFoundException(`unit ${id} not found`);
      if (dto.status && unit.currentIncidentId) {
        throw new ConflictException(`unit ${unit.callSign} is working on incident ${unit.currentIncidentId}`);
      }
      return this.units.update(m, id, { status: dto.status, position: dto.position });
    });
  }

  @Get()
  @Roles('operator', 'supervisor', 'admin')
  list(@Query() query: ListUnitsQuery, @CurrentPrincipal() actor: Principal) {
    const scope = RegionScope.of(actor);
    const near =
      query.lat !== undefined && query.lon !== undefined ? { lat: query.lat, lon: query.lon } : undefined;
    return this.incidents.inScope(scope, (m) =>
      this.units.list(m, scope.all ? null : scope.regions, {
        status: query.status,
        regionCode: query.regionCode,
        near,
      }),
    );
  }
}
