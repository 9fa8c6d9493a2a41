import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { RegionTransaction } from '../../../access/region-transaction';
import { INCIDENTS_POLICIES as P } from '../../../incidents.policies';
import { UnitsRepository, type Unit } from '../../units.repository';
import type { ListUnits } from './list-units.command';

/** The units of the caller's regions, for dispatching. */
@Injectable()
export class ListUnitsUseCase extends UseCaseHandler<ListUnits, Unit[]> {
  constructor(
    private readonly transaction: RegionTransaction,
    private readonly units: UnitsRepository,
  ) {
    super();
  }

  @UseCase(P.listUnits)
  async execute({ actor, query }: ListUnits): Promise<Unit[]> {
    const scope = RegionScope.of(actor);
    const near =
      query.lat !== undefined && query.lon !== undefined ? { lat: query.lat, lon: query.lon } : undefined;
    return this.transaction.run(scope, (m) =>
      this.units.list(m, scope.all ? null : scope.regions, {
        status: query.status,
        regionCode: query.regionCode,
        near,
      }),
    );
  }
}
