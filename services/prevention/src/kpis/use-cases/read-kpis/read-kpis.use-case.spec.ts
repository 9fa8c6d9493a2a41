import { OperationRefusedException } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import {
  aPersonCase,
  aPlaceCase,
  anOfficer,
  incidentsHappened,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { ReadKpisUseCase } from './read-kpis.use-case';

const DAY = 86_400_000;

describe('ReadKpisUseCase', () => {
  let h: UseCaseHarness;
  const period = () => ({ from: new Date(Date.now() - 7 * DAY), to: new Date(Date.now() + DAY) });

  beforeAll(async () => {
    h = await startUseCaseHarness('ucreadkpis');
    await aPersonCase(h, anOfficer(h));
    await aPlaceCase(h, anOfficer(h));
    await aPlaceCase(h, anOfficer(h), { districtCode: 'ALA-BOSTANDYK' });
    await incidentsHappened(h, { address: 'ул. Толе би, 40', occurredAt: new Date(Date.now() - 2 * DAY) });
  });
  afterAll(() => h.close());

  it('counts the region’s cases and incidents, and each district’s, naming no one', async () => {
    const analyst = h.person('analyst');
    const [region, ...districts] = await h
      .get(ReadKpisUseCase)
      .execute({ actor: analyst, regionCode: 'ALA', ...period() });
    expect(region).toMatchObject({ regionCode: 'ALA', districtCode: null, casesOpened: 3, incidents: 1 });
    expect(districts.map((d) => [d.districtCode, d.casesOpened])).toEqual([
      ['ALA-ALMALY', 2],
      ['ALA-BOSTANDYK', 1],
    ]);
    const one = await h.get(ReadKpisUseCase).execute({
      actor: analyst,
      regionCode: 'ALA',
      districtCode: 'ALA-BOSTANDYK',
      ...period(),
    });
    expect(one.map((k) => k.casesOpened)).toEqual([1]);
    expect(JSON.stringify(one)).not.toMatch(/Айгерим|officer-ala/);
    expect(
      await h.query(`SELECT count(*)::int AS n FROM audit_log WHERE actor_subject = $1`, [analyst.subject]),
    ).toEqual([{ n: 0 }]);
  });

  it('refuses a region outside the caller’s, a period longer than a year, and social workers', async () => {
    const refusal = h
      .get(ReadKpisUseCase)
      .execute({ actor: h.person('analyst', ['AST']), regionCode: 'ALA', ...period() });
    await expect(refusal).rejects.toBeInstanceOf(InvalidError);
    await expect(refusal).rejects.toMatchObject({ problems: [{ field: 'regionCode' }] });
    await expect(
      h.get(ReadKpisUseCase).execute({
        actor: h.person('analyst'),
        regionCode: 'ALA',
        from: new Date(Date.now() - 400 * DAY),
        to: new Date(),
      }),
    ).rejects.toMatchObject({ problems: [{ field: 'to' }] });
    await expect(
      h.get(ReadKpisUseCase).execute({ actor: h.person('social-worker'), regionCode: 'ALA', ...period() }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
