import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { RegionScope, UseCase, type Principal } from '@safecity/security';
import { UnprocessableFieldException } from '@safecity/service-kit';
import { INCIDENTS_POLICIES as P } from '../incidents.policies';
import { IncidentsService } from '../incidents/incidents.service';
import type { CreateUnitDto, ListUnitsQuery, UpdateUnitDto } from './unit.dto';
import { UnitsRepository } from './units.repository';

/** Patrol and emergency units of the caller's regions: registered, reported on, listed. */
@Injectable()
export class UnitsService {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly units: UnitsRepository,
  ) {}

  @UseCase(P.createUnit)
  async create(dto: CreateUnitDto, actor: Principal) {
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
  @UseCase(P.updateUnit)
  async update(id: string, dto: UpdateUnitDto, actor: Principal) {
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

  @UseCase(P.listUnits)
  async list(query: ListUnitsQuery, actor: Principal) {
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
