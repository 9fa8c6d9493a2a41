import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import {
  anAlmatyCamera,
  anAlmatyVideoSystem,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import type { CameraMediaSourceDto } from '../../camera-media-source.dto';
import { SetMediaSourceUseCase } from '../set-media-source/set-media-source.use-case';
import { GetMediaSourceUseCase } from './get-media-source.use-case';

describe('GetMediaSourceUseCase', () => {
  let h: UseCaseHarness;
  let cameraId: string;
  let bareCameraId: string;
  const get = (id: string, actor = h.person('region-admin')) =>
    h.get(GetMediaSourceUseCase).execute({ actor, cameraId: id });

  beforeAll(async () => {
    h = await startUseCaseHarness('ucgetmedia');
    const admin = h.person('region-admin');
    const systemId = (await anAlmatyVideoSystem(h, admin)).id;
    cameraId = (await anAlmatyCamera(h, admin, systemId, 'gm-1')).id;
    bareCameraId = (await anAlmatyCamera(h, admin, systemId, 'gm-2')).id;
    const source = {
      snapshotUrl: 'http://10.20.0.15/snapshot.jpg',
      features: ['objects'],
    } as CameraMediaSourceDto;
    await h.get(SetMediaSourceUseCase).execute({ actor: admin, cameraId, source });
  });
  afterAll(() => h.close());

  it('answers the source to its region’s administrators; no source, or another region, is not found', async () => {
    expect(await get(cameraId)).toMatchObject({
      snapshotUrl: 'http://10.20.0.15/snapshot.jpg',
      hasCredentials: false,
    });
    await expect(get(bareCameraId)).rejects.toEqual(
      new NotFoundError(`camera ${bareCameraId} has no media source`),
    );
    await expect(get(cameraId, h.person('region-admin', ['AST']))).rejects.toEqual(
      new NotFoundError(`camera ${cameraId} not found`),
    );
  });

  it('is refused to operators: sources name addresses inside an akimat’s network', async () => {
    await expect(get(cameraId, h.person('operator'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
