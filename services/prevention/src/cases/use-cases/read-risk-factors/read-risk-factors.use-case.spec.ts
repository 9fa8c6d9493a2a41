import { OperationRefusedException } from '@safecity/security';
import { startUseCaseHarness, type UseCaseHarness } from '../../../../test/use-case-harness';
import { ReadRiskFactorsUseCase } from './read-risk-factors.use-case';

describe('ReadRiskFactorsUseCase', () => {
  let h: UseCaseHarness;

  beforeAll(async () => {
    h = await startUseCaseHarness('ucriskfactors');
  });
  afterAll(() => h.close());

  it('gives case workers the catalogue, each factor with the level it indicates', async () => {
    const catalogue = await h.get(ReadRiskFactorsUseCase).execute({ actor: h.person('social-worker') });
    expect(catalogue.length).toBeGreaterThan(0);
    for (const factor of catalogue) {
      expect(factor).toMatchObject({
        code: expect.any(String),
        indicates: expect.stringMatching(/^(low|medium|high|critical)$/),
      });
    }
    expect(await h.query('SELECT count(*)::int AS n FROM audit_log')).toEqual([{ n: 0 }]);
  });

  it('is refused to analysts, who see figures only', async () => {
    await expect(
      h.get(ReadRiskFactorsUseCase).execute({ actor: h.person('analyst') }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
