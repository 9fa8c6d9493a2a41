import { Injectable } from '@nestjs/common';
import { RegionAccess, UseCase, UseCaseHandler } from '@safecity/security';
import { UnprocessableFieldException } from '@safecity/service-kit';
import { scopeIncluding } from '../../../domain/region-of-caller';
import { expectedOverPeriod } from '../../../forecasts/expectation';
import { DEFAULT_MODEL, weekOf, weekStart } from '../../../forecasts/model';
import { PlaceHistoryRepository } from '../../../forecasts/place-history.repository';
import { PREVENTION_POLICIES as P } from '../../../prevention.policies';
import { computeRegionKpis, type Kpis } from '../../kpi-calculator';
import { KpisRepository } from '../../kpis.repository';
import type { ReadKpis } from './read-kpis.command';

const MAX_PERIOD_DAYS = 366;

/** Prevention KPIs of a region (and its districts) over a period; formulas in docs/prevention-kpis.md. */
@Injectable()
export class ReadKpisUseCase extends UseCaseHandler<ReadKpis, Kpis[]> {
  constructor(
    private readonly access: RegionAccess,
    private readonly kpis: KpisRepository,
    private readonly history: PlaceHistoryRepository,
  ) {
    super();
  }

  @UseCase(P.readKpis)
  async execute({ actor, regionCode, districtCode, from, to }: ReadKpis): Promise<Kpis[]> {
    const scope = scopeIncluding(actor, regionCode);
    if (!(from < to)) throw new UnprocessableFieldException('to', 'must be after from');
    if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * 86_400_000) {
      throw new UnprocessableFieldException('to', `a period spans at most ${MAX_PERIOD_DAYS} days`);
    }
    const offset = DEFAULT_MODEL.utcOffsetHours;
    const historyFrom = weekStart(weekOf(from, offset) - DEFAULT_MODEL.lookbackWeeks, offset);
    const input = await this.access.run(scope, async (m) => {
      const cases = await this.kpis.cases(m, regionCode, from, to);
      const ids = cases.map((c) => c.id);
      const history = await this.history.placeEvents(m, {
        regionCode,
        from: historyFrom,
        to,
        unit: 'district',
      });
      return {
        period: { from, to },
        cases,
        measures: await this.kpis.measures(m, ids),
        linkedIncidents: await this.kpis.linkedIncidents(m, ids, from, to),
        incidents: await this.kpis.incidents(m, regionCode, from, to),
        expectedIncidents: expectedOverPeriod(history, from, to, DEFAULT_MODEL),
      };
    });
    return computeRegionKpis(input, regionCode, districtCode);
  }
}
