import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, type Principal } from '@safecity/security';
import { PREVENTION_POLICIES as P } from '../prevention.policies';
import { UnprocessableFieldException } from '@safecity/service-kit';
import { RegionAccess } from '../access/region-access';
import type { KpiQueryDto } from '../forecasts/forecast.dto';
import { expectedOverPeriod } from '../forecasts/expectation';
import { DEFAULT_MODEL, weekOf, weekStart } from '../forecasts/model';
import { PlaceHistoryRepository } from '../forecasts/place-history.repository';
import { computeRegionKpis, type Kpis } from './kpi-calculator';
import { KpisRepository } from './kpis.repository';

const MAX_PERIOD_DAYS = 366;

/** Prevention KPIs of a region (and its districts) over a period; formulas in docs/prevention-kpis.md. */
@Injectable()
export class KpisService {
  constructor(
    private readonly access: RegionAccess,
    private readonly kpis: KpisRepository,
    private readonly history: PlaceHistoryRepository,
  ) {}

  @UseCase(P.readKpis)
  async compute(query: KpiQueryDto, actor: Principal): Promise<Kpis[]> {
    const scope = RegionScope.of(actor);
    if (!scope.includes(query.regionCode)) {
      throw new UnprocessableFieldException(
        'regionCode',
        `region ${query.regionCode} is outside your regions`,
      );
    }
    const from = new Date(query.from);
    const to = new Date(query.to);
    if (!(from < to)) throw new UnprocessableFieldException('to', 'must be after from');
    if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * 86_400_000) {
      throw new UnprocessableFieldException('to', `a period spans at most ${MAX_PERIOD_DAYS} days`);
    }
    const offset = DEFAULT_MODEL.utcOffsetHours;
    const historyFrom = weekStart(weekOf(from, offset) - DEFAULT_MODEL.lookbackWeeks, offset);
    const input = await this.access.run(scope, async (m) => {
      const cases = await this.kpis.cases(m, query.regionCode, from, to);
      const ids = cases.map((c) => c.id);
      const history = await this.history.placeEvents(m, {
        regionCode: query.regionCode,
        from: historyFrom,
        to,
        unit: 'district',
      });
      return {
        period: { from, to },
        cases,
        measures: await this.kpis.measures(m, ids),
        linkedIncidents: await this.kpis.linkedIncidents(m, ids, from, to),
        incidents: await this.kpis.incidents(m, query.regionCode, from, to),
        expectedIncidents: expectedOverPeriod(history, from, to, DEFAULT_MODEL),
      };
    });
    return computeRegionKpis(input, query.regionCode, query.districtCode);
  }
}
