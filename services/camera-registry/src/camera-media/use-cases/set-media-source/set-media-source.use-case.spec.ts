import { OperationRefusedException } from '@safecity/security';
import { InvalidError, NotFoundError } from '@safecity/service-kit';
import {
  anAlmatyCamera,
  anAlmatyVideoSystem,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { DecommissionCameraUseCase } from '../../../cameras/use-cases';
import type { CameraMediaSourceDto } from '../../camera-media-source.dto';
import { SetMediaSourceUseCase } from './set-media-source.use-case';

const source = {
  rtspUrl: 'rtsp://10.20.0.15:554/Streaming/Channels/101',
  credentials: { username: 'viewer', password: 'not-in-any-answer' },
  features: ['faces'],
} as CameraMediaSourceDto;

describe('SetMediaSourceUseCase', () => {
  let h: UseCaseHarness;
  let systemId: string;
  const admin = () => h.person('region-admin');
  const set = (cameraId: string, dto = source, actor = admin()) =>
    h.get(SetMediaSourceUseCase).execute({ actor, cameraId, source: dto });

  beforeAll(async () => {
    h = await startUseCaseHarness('ucsetmedia');
    systemId = (await anAlmatyVideoSystem(h, admin())).id;
  });
  afterAll(() => h.close());

  it('keeps the source with its credentials sealed, answers without them and counts versions', async () => {
    const camera = await anAlmatyCamera(h, admin(), systemId, 'm-1');
    const first = await set(camera.id);
    expect(first).toMatchObject({ cameraId: camera.id, hasCredentials: true, version: 1 });
    expect(JSON.stringify(first)).not.toContain('not-in-any-answer');
    const { credentials: _kept, ...withoutCredentials } = source;
    expect(await set(camera.id, withoutCredentials as CameraMediaSourceDto)).toMatchObject({
      hasCredentials: true,
      version: 2,
    });
  });

  it('refuses a source without an address, a decommissioned camera and another region’s', async () => {
    const camera = await anAlmatyCamera(h, admin(), systemId, 'm-2');
    await expect(set(camera.id, { features: [] } as unknown as CameraMediaSourceDto)).rejects.toEqual(
      new InvalidError({ field: 'rtspUrl', reason: 'a media source needs rtspUrl, onvif or snapshotUrl' }),
    );
    await expect(set(camera.id, source, h.person('region-admin', ['AST']))).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await h.get(DecommissionCameraUseCase).execute({ actor: admin(), id: camera.id });
    await expect(set(camera.id)).rejects.toMatchObject({ problems: [{ field: 'cameraId' }] });
  });

  it('is refused to roles its policy does not name', async () => {
    const camera = await anAlmatyCamera(h, admin(), systemId, 'm-3');
    await expect(set(camera.id, source, h.person('operator'))).rejects.toBeInstanceOf(
      OperationRefusedException,
    );
  });
});
