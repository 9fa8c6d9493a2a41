import { OperationRefusedException } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import { PUBLIC_ORDER } from '../../../../test/incidents';
import {
  incidentsHappened,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { BacktestForecastUseCase } from './backtest-forecast.use-case';

const DAY = 86_400_000;

describe('BacktestForecastUseCase', () => {
  let h: UseCaseHarness;

  beforeAll(async () => {
    h = await startUseCaseHarness('ucbacktest');
    await incidentsHappened(
      h,
      ...[8, 15, 22, 29].map((daysAgo) => ({
        category: PUBLIC_ORDER,
        point: { lat: 43.2331, lon: 76.9512 },
        occurredAt: new Date(Date.now() - daysAgo * DAY),
      })),
    );
  });
  afterAll(() => h.close());

  it('scores finished weeks against the naive last-week forecast, with the settings it used', async () => {
    const result = await h.get(BacktestForecastUseCase).execute({
      actor: h.person('analyst'),
      query: { regionCode: 'ALA', weeks: 2, flagShare: 0.1 },
    });
    expect(result.settings).toMatchObject({ testWeeks: 2, flagShare: 0.1 });
    expect(result.weeks.length).toBeGreaterThan(0);
    expect(result.weeks.length).toBeLessThanOrEqual(2);
    expect(result.weeks.reduce((sum, w) => sum + w.incidents, 0)).toBeGreaterThan(0);
    expect(result.model).toBeDefined();
    expect(result.naive).toBeDefined();
  });

  it('refuses a region outside the caller’s, and social workers', async () => {
    await expect(
      h
        .get(BacktestForecastUseCase)
        .execute({ actor: h.person('analyst', ['AST']), query: { regionCode: 'ALA' } }),
    ).rejects.toBeInstanceOf(InvalidError);
    await expect(
      h
        .get(BacktestForecastUseCase)
        .execute({ actor: h.person('social-worker'), query: { regionCode: 'ALA' } }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
