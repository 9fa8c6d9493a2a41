import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { ConflictError, InvalidError } from '@safecity/service-kit';
import { RegionTransaction } from '../../../access/region-transaction';
import { INCIDENTS_POLICIES as P } from '../../../incidents.policies';
import { UnitsRepository, type Unit } from '../../units.repository';
import type { CreateUnit } from './create-unit.command';

/** A patrol or emergency unit of one of the caller's regions, under a call sign unique there. */
@Injectable()
export class CreateUnitUseCase extends UseCaseHandler<CreateUnit, Unit> {
  constructor(
    private readonly transaction: RegionTransaction,
    private readonly units: UnitsRepository,
  ) {
    super();
  }

  @UseCase(P.createUnit)
  async execute({ actor, unit: fields }: CreateUnit): Promise<Unit> {
    const scope = RegionScope.of(actor);
    if (!scope.includes(fields.regionCode)) {
      throw new InvalidError({
        field: 'regionCode',
        reason: `region ${fields.regionCode} is outside your regions`,
      });
    }
    const unit = await this.transaction.run(scope, (m) =>
      this.units.insert(m, { ...fields, operationsCenterId: fields.operationsCenterId ?? null }),
    );
    if (!unit)
      throw new ConflictError(`call sign ${fields.callSign} is already used in ${fields.regionCode}`);
    return unit;
  }
}
