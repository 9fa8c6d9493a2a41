import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { RegionTransaction } from '../../../access/region-transaction';
import { INCIDENTS_POLICIES as P } from '../../../incidents.policies';
import { checkRegionInScope, sopCategory, toSop, type Sop } from '../../sop';
import { SopsRepository } from '../../sops.repository';
import type { ReadRegionalSop } from './read-regional-sop.command';

/** The checklist a region's new incidents of the category get: its own, or else the national one. */
@Injectable()
export class ReadRegionalSopUseCase extends UseCaseHandler<ReadRegionalSop, Sop> {
  constructor(
    private readonly transaction: RegionTransaction,
    private readonly sops: SopsRepository,
  ) {
    super();
  }

  @UseCase(P.readRegionalSop)
  async execute({ actor, category, regionCode }: ReadRegionalSop): Promise<Sop> {
    checkRegionInScope(regionCode, RegionScope.of(actor));
    // Checklists have no row-level security: the national one is every region's.
    const row = await this.transaction.run(RegionScope.allRegions(), (m) =>
      this.sops.latest(m, sopCategory(category), regionCode),
    );
    if (!row) throw new NotFoundError(`no SOP for ${category}`);
    return toSop(row);
  }
}
