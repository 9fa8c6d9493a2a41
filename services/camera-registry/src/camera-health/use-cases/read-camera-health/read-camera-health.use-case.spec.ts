import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import {
  anAlmatyCamera,
  anAlmatyVideoSystem,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { ReadCameraHealthUseCase } from './read-camera-health.use-case';

describe('ReadCameraHealthUseCase', () => {
  let h: UseCaseHarness;
  let cameraId: string;
  const read = (actor = h.person('supervisor')) =>
    h.get(ReadCameraHealthUseCase).execute({ actor, cameraId });

  beforeAll(async () => {
    h = await startUseCaseHarness('uccamhealth');
    const admin = h.person('region-admin');
    cameraId = (await anAlmatyCamera(h, admin, (await anAlmatyVideoSystem(h, admin)).id, 'r-1')).id;
  });
  afterAll(() => h.close());

  it('answers a camera never heard of as unknown, with the default interval and its threshold', async () => {
    const health = await read();
    expect(health).toMatchObject({
      status: 'unknown',
      lastHeartbeatAt: null,
      expectedIntervalSource: 'default',
    });
    expect(health.offlineAfterSeconds).toBe(health.expectedIntervalSeconds * 3);
  });

  it('answers another region’s camera as not found and refuses services', async () => {
    await expect(read(h.person('supervisor', ['AST']))).rejects.toEqual(
      new NotFoundError(`camera ${cameraId} not found`),
    );
    await expect(read(h.person('service', 'all'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
