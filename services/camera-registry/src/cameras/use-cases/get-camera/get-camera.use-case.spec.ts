import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import {
  anAlmatyCamera,
  anAlmatyVideoSystem,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { GetCameraUseCase } from './get-camera.use-case';

describe('GetCameraUseCase', () => {
  let h: UseCaseHarness;
  let cameraId: string;

  beforeAll(async () => {
    h = await startUseCaseHarness('ucgetcam');
    const admin = h.person('region-admin');
    cameraId = (await anAlmatyCamera(h, admin, (await anAlmatyVideoSystem(h, admin)).id, 'g-1')).id;
  });
  afterAll(() => h.close());

  it('gives the camera to readers and services of its region', async () => {
    for (const actor of [h.person('operator'), h.person('service', 'all')]) {
      expect(await h.get(GetCameraUseCase).execute({ actor, id: cameraId })).toMatchObject({
        externalId: 'g-1',
      });
    }
  });

  it('answers another region’s camera exactly like a missing one', async () => {
    const astana = h.person('operator', ['AST']);
    await expect(h.get(GetCameraUseCase).execute({ actor: astana, id: cameraId })).rejects.toEqual(
      new NotFoundError(`camera ${cameraId} not found`),
    );
  });

  it('is refused to citizens-facing roles its policy does not name', async () => {
    await expect(
      h.get(GetCameraUseCase).execute({ actor: h.person('social-worker'), id: cameraId }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
