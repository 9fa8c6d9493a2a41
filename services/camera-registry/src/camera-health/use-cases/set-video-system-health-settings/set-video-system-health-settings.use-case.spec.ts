import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import {
  anAlmatyCamera,
  anAlmatyVideoSystem,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { ReadCameraHealthUseCase } from '../read-camera-health/read-camera-health.use-case';
import { SetVideoSystemHealthSettingsUseCase } from './set-video-system-health-settings.use-case';

describe('SetVideoSystemHealthSettingsUseCase', () => {
  let h: UseCaseHarness;
  let systemId: string;
  const set = (heartbeatIntervalSeconds: number, actor = h.person('region-admin')) =>
    h
      .get(SetVideoSystemHealthSettingsUseCase)
      .execute({ actor, videoSystemId: systemId, heartbeatIntervalSeconds });

  beforeAll(async () => {
    h = await startUseCaseHarness('ucsyssettings');
    systemId = (await anAlmatyVideoSystem(h, h.person('region-admin'))).id;
  });
  afterAll(() => h.close());

  it('sets the interval its cameras inherit', async () => {
    const camera = await anAlmatyCamera(h, h.person('region-admin'), systemId, 'vs-1');
    expect(await set(90)).toMatchObject({ heartbeatIntervalSeconds: 90, offlineAfterSeconds: 270 });
    const health = await h
      .get(ReadCameraHealthUseCase)
      .execute({ actor: h.person('operator'), cameraId: camera.id });
    expect(health).toMatchObject({ expectedIntervalSeconds: 90, expectedIntervalSource: 'video-system' });
  });

  it('answers another region’s system as not found and refuses supervisors', async () => {
    await expect(set(60, h.person('region-admin', ['AST']))).rejects.toBeInstanceOf(NotFoundError);
    await expect(set(60, h.person('supervisor'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
