import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import {
  anAlmatyCamera,
  anAlmatyVideoSystem,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { SetCameraHealthSettingsUseCase } from './set-camera-health-settings.use-case';

describe('SetCameraHealthSettingsUseCase', () => {
  let h: UseCaseHarness;
  let cameraId: string;
  const set = (expectedIntervalSeconds: number | null, actor = h.person('region-admin')) =>
    h.get(SetCameraHealthSettingsUseCase).execute({ actor, cameraId, expectedIntervalSeconds });

  beforeAll(async () => {
    h = await startUseCaseHarness('uccamsettings');
    const admin = h.person('region-admin');
    cameraId = (await anAlmatyCamera(h, admin, (await anAlmatyVideoSystem(h, admin)).id, 'cs-1')).id;
  });
  afterAll(() => h.close());

  it('sets the camera’s own interval, and null gives it back to its system', async () => {
    expect(await set(120)).toMatchObject({ expectedIntervalSeconds: 120, expectedIntervalSource: 'camera' });
    expect((await set(null)).expectedIntervalSource).toBe('default');
  });

  it('answers another region’s camera as not found and refuses operators', async () => {
    await expect(set(60, h.person('region-admin', ['AST']))).rejects.toBeInstanceOf(NotFoundError);
    await expect(set(60, h.person('operator'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
