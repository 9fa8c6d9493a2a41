import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { anOfficer, startUseCaseHarness, type UseCaseHarness } from '../../../../test/use-case-harness';
import { ReadTriggerSettingsUseCase } from './read-trigger-settings.use-case';

describe('ReadTriggerSettingsUseCase', () => {
  let h: UseCaseHarness;

  beforeAll(async () => {
    h = await startUseCaseHarness('ucreadtriggers');
  });
  afterAll(() => h.close());

  it('gives the platform’s default rule to a region that set none', async () => {
    expect(
      await h.get(ReadTriggerSettingsUseCase).execute({ actor: anOfficer(h), regionCode: 'ALA' }),
    ).toEqual({
      regionCode: 'ALA',
      repeatWindowDays: 90,
      repeatThreshold: 3,
      default: true,
    });
  });

  it('answers another region like an unknown one, and refuses social workers', async () => {
    await expect(
      h.get(ReadTriggerSettingsUseCase).execute({ actor: anOfficer(h), regionCode: 'AST' }),
    ).rejects.toEqual(new NotFoundError('region AST not found'));
    await expect(
      h.get(ReadTriggerSettingsUseCase).execute({ actor: h.person('social-worker'), regionCode: 'ALA' }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
