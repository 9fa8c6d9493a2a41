import { Injectable } from '@nestjs/common';
import { RegionAccess, UseCase, UseCaseHandler } from '@safecity/security';
import { scopeIncluding } from '../../../domain/region-of-caller';
import { PREVENTION_POLICIES as P } from '../../../prevention.policies';
import { backtest, type BacktestResult } from '../../backtest';
import { DEFAULT_CELL_DEG } from '../../grid';
import { DEFAULT_MODEL, weekOf, weekStart, type ModelSettings } from '../../model';
import { PlaceHistoryRepository } from '../../place-history.repository';
import type { BacktestForecast } from './backtest-forecast.command';

export type BacktestReport = BacktestResult & {
  settings: ModelSettings & { testWeeks: number; flagShare: number };
};

/** The rolling backtest over the region's own history, beside the naive last-week baseline. */
@Injectable()
export class BacktestForecastUseCase extends UseCaseHandler<BacktestForecast, BacktestReport> {
  constructor(
    private readonly access: RegionAccess,
    private readonly history: PlaceHistoryRepository,
  ) {
    super();
  }

  @UseCase(P.readForecasts)
  async execute({ actor, query }: BacktestForecast): Promise<BacktestReport> {
    const scope = scopeIncluding(actor, query.regionCode);
    const weeks = query.weeks ?? 8;
    const offset = DEFAULT_MODEL.utcOffsetHours;
    const current = weekOf(query.asOf ? new Date(query.asOf) : new Date(), offset);
    const events = await this.access.run(scope, (m) =>
      this.history.placeEvents(m, {
        regionCode: query.regionCode,
        from: weekStart(current - weeks - DEFAULT_MODEL.lookbackWeeks, offset),
        // Only finished weeks are scored.
        to: weekStart(current, offset),
        unit: query.unit ?? 'grid',
        cellSizeDeg: query.cellSizeDeg ?? DEFAULT_CELL_DEG,
      }),
    );
    const options = { ...DEFAULT_MODEL, testWeeks: weeks, flagShare: query.flagShare ?? 0.05 };
    return { ...backtest(events, options), settings: options };
  }
}
