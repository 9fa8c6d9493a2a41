import { OperationRefusedException } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import { PUBLIC_ORDER } from '../../../../test/incidents';
import {
  incidentsHappened,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { ForecastPlacesUseCase } from './forecast-places.use-case';

const DAY = 86_400_000;

describe('ForecastPlacesUseCase', () => {
  let h: UseCaseHarness;

  beforeAll(async () => {
    h = await startUseCaseHarness('ucforecast');
    // A courtyard with incidents in each of the last three weeks.
    await incidentsHappened(
      h,
      ...[8, 15, 22].map((daysAgo) => ({
        category: PUBLIC_ORDER,
        point: { lat: 43.2331, lon: 76.9512 },
        occurredAt: new Date(Date.now() - daysAgo * DAY),
      })),
    );
  });
  afterAll(() => h.close());

  it('expects incidents this week in the cell that had them, as GeoJSON of places only', async () => {
    const forecast = await h.get(ForecastPlacesUseCase).execute({
      actor: h.person('analyst'),
      query: { regionCode: 'ALA', hours: 168 },
    });
    expect(forecast.type).toBe('FeatureCollection');
    expect(forecast.forecast).toMatchObject({
      regionCode: 'ALA',
      unit: 'grid',
      modelVersion: 'seasonal-baseline-v1',
    });
    // 43.2331, 76.9512 lies in the 0.01° cell [43.23, 43.24) × [76.95, 76.96).
    expect(forecast.features).toHaveLength(1);
    expect(forecast.features[0].properties.expectedIncidents).toBeGreaterThan(0);
    expect(forecast.features[0].geometry).not.toBeNull();
    expect(await h.query('SELECT count(*)::int AS n FROM audit_log')).toEqual([{ n: 0 }]);
  });

  it('refuses a region outside the caller’s, and social workers', async () => {
    await expect(
      h
        .get(ForecastPlacesUseCase)
        .execute({ actor: h.person('analyst', ['AST']), query: { regionCode: 'ALA' } }),
    ).rejects.toBeInstanceOf(InvalidError);
    await expect(
      h
        .get(ForecastPlacesUseCase)
        .execute({ actor: h.person('social-worker'), query: { regionCode: 'ALA' } }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
