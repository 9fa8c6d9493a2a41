import { Injectable } from '@nestjs/common';
import { RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { PREVENTION_POLICIES as P } from '../../../prevention.policies';
import { measureView, type MeasureView } from '../../case-view';
import { CasesRepository } from '../../cases.repository';
import type { ListOverdueMeasures } from './list-overdue-measures.command';

export type OverdueMeasure = Omit<MeasureView, 'description' | 'result'> & {
  caseId: string;
  regionCode: string;
};

/** Measures past their due date on open cases: what is due and with whom, not what was written. */
@Injectable()
export class ListOverdueMeasuresUseCase extends UseCaseHandler<
  ListOverdueMeasures,
  { count: number; items: OverdueMeasure[] }
> {
  constructor(
    private readonly cases: CasesRepository,
    private readonly access: RegionAccess,
  ) {
    super();
  }

  @UseCase(P.readDueWork)
  async execute({ actor, regionCode }: ListOverdueMeasures) {
    const scope = RegionScope.of(actor);
    const now = new Date();
    const rows = await this.access.run(scope, (m) => this.cases.overdueMeasures(m, scope, regionCode, now));
    return {
      count: rows.length,
      // Across cases: what is due and with whom, not what was written about anyone.
      items: rows.map((r) => {
        const { description: _description, result: _result, ...measure } = measureView(r, now);
        return { ...measure, caseId: r.caseId, regionCode: r.regionCode };
      }),
    };
  }
}
