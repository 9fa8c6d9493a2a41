import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { ConflictError, NotFoundError } from '@safecity/service-kit';
import { RegionTransaction } from '../../../access/region-transaction';
import { INCIDENTS_POLICIES as P } from '../../../incidents.policies';
import { UnitsRepository, type Unit } from '../../units.repository';
import type { UpdateUnit } from './update-unit.command';

/**
 * Status and position as the crew (or its vehicle's tracker, through a service) reports them. A
 * unit working on an incident changes status only with the incident's lifecycle.
 */
@Injectable()
export class UpdateUnitUseCase extends UseCaseHandler<UpdateUnit, Unit> {
  constructor(
    private readonly transaction: RegionTransaction,
    private readonly units: UnitsRepository,
  ) {
    super();
  }

  @UseCase(P.updateUnit)
  async execute({ actor, id, report }: UpdateUnit): Promise<Unit> {
    const scope = RegionScope.of(actor);
    return this.transaction.run(scope, async (m) => {
      const unit = await this.units.findById(m, id, true);
      if (!unit || !scope.includes(unit.regionCode)) throw new NotFoundError(`unit ${id} not found`);
      if (report.status && unit.currentIncidentId)
        throw new ConflictError(`unit ${unit.callSign} is working on incident ${unit.currentIncidentId}`);
      return this.units.update(m, id, { status: report.status, position: report.position });
    });
  }
}
