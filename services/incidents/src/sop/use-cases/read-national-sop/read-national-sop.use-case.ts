import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { RegionTransaction } from '../../../access/region-transaction';
import { INCIDENTS_POLICIES as P } from '../../../incidents.policies';
import { sopCategory, toSop, type Sop } from '../../sop';
import { SopsRepository } from '../../sops.repository';
import type { ReadNationalSop } from './read-national-sop.command';

/** The national checklist of a category, as it now stands. */
@Injectable()
export class ReadNationalSopUseCase extends UseCaseHandler<ReadNationalSop, Sop> {
  constructor(
    private readonly transaction: RegionTransaction,
    private readonly sops: SopsRepository,
  ) {
    super();
  }

  @UseCase(P.readNationalSop)
  async execute({ category }: ReadNationalSop): Promise<Sop> {
    const row = await this.transaction.run(RegionScope.allRegions(), (m) =>
      this.sops.latest(m, sopCategory(category), null),
    );
    if (!row) throw new NotFoundError(`no SOP for ${category}`);
    return toSop(row);
  }
}
