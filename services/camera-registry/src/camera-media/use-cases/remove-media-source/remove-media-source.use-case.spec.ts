import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import {
  anAlmatyCamera,
  anAlmatyVideoSystem,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import type { CameraMediaSourceDto } from '../../camera-media-source.dto';
import { GetMediaSourceUseCase } from '../get-media-source/get-media-source.use-case';
import { SetMediaSourceUseCase } from '../set-media-source/set-media-source.use-case';
import { RemoveMediaSourceUseCase } from './remove-media-source.use-case';

describe('RemoveMediaSourceUseCase', () => {
  let h: UseCaseHarness;
  let cameraId: string;
  const remove = (actor = h.person('region-admin')) =>
    h.get(RemoveMediaSourceUseCase).execute({ actor, cameraId });

  beforeAll(async () => {
    h = await startUseCaseHarness('ucremovemedia');
    const admin = h.person('region-admin');
    cameraId = (await anAlmatyCamera(h, admin, (await anAlmatyVideoSystem(h, admin)).id, 'rm-1')).id;
    const source = {
      rtspUrl: 'rtsp://10.20.0.15:554/1',
      credentials: { username: 'viewer', password: 'secret' },
      features: ['faces'],
    } as CameraMediaSourceDto;
    await h.get(SetMediaSourceUseCase).execute({ actor: admin, cameraId, source });
  });
  afterAll(() => h.close());

  it('removes the source and its credentials once; a second removal is not found', async () => {
    await remove();
    await expect(
      h.get(GetMediaSourceUseCase).execute({ actor: h.person('region-admin'), cameraId }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const [row] = await h.query<{ sealed_credentials: unknown; removed: boolean }>(
      'SELECT sealed_credentials, removed FROM camera_media_sources WHERE camera_id = $1',
      [cameraId],
    );
    expect(row).toEqual({ sealed_credentials: null, removed: true });
    await expect(remove()).rejects.toEqual(new NotFoundError(`camera ${cameraId} has no media source`));
  });

  it('is refused to roles its policy does not name', async () => {
    await expect(remove(h.person('supervisor'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
