import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import {
  anOfficer,
  repeatedIncidentsAt,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { ReadTriggerSettingsUseCase } from '../read-trigger-settings/read-trigger-settings.use-case';
import { SaveTriggerSettingsUseCase } from './save-trigger-settings.use-case';

describe('SaveTriggerSettingsUseCase', () => {
  let h: UseCaseHarness;

  beforeAll(async () => {
    h = await startUseCaseHarness('ucsavetriggers');
  });
  afterAll(() => h.close());

  it('sets the region’s rule, which later incidents are judged by', async () => {
    const officer = anOfficer(h);
    const saved = await h.get(SaveTriggerSettingsUseCase).execute({
      actor: officer,
      regionCode: 'ALA',
      settings: { repeatWindowDays: 30, repeatThreshold: 4 },
    });
    expect(saved).toEqual({ regionCode: 'ALA', repeatWindowDays: 30, repeatThreshold: 4, default: false });
    expect(
      await h.get(ReadTriggerSettingsUseCase).execute({ actor: anOfficer(h), regionCode: 'ALA' }),
    ).toEqual(saved);
    expect(await h.query(`SELECT updated_by FROM trigger_settings WHERE region_code = 'ALA'`)).toEqual([
      { updated_by: officer.subject },
    ]);
    // Three incidents no longer reach the threshold of four.
    await repeatedIncidentsAt(h, 'ул. Толе би, 40');
    expect(await h.query('SELECT count(*)::int AS n FROM suggestions')).toEqual([{ n: 0 }]);
  });

  it('refuses another region’s rule, and social workers', async () => {
    const settings = { repeatWindowDays: 30, repeatThreshold: 2 };
    await expect(
      h.get(SaveTriggerSettingsUseCase).execute({ actor: anOfficer(h), regionCode: 'AST', settings }),
    ).rejects.toEqual(new NotFoundError('region AST not found'));
    await expect(
      h
        .get(SaveTriggerSettingsUseCase)
        .execute({ actor: h.person('social-worker'), regionCode: 'ALA', settings }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
