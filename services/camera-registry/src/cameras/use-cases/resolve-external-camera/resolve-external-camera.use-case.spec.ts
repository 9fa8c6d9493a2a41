import { CameraLifecycle } from '@safecity/contracts';
import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import {
  anAlmatyCamera,
  anAlmatyVideoSystem,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { DecommissionCameraUseCase } from '../decommission-camera/decommission-camera.use-case';
import { ResolveExternalCameraUseCase } from './resolve-external-camera.use-case';

describe('ResolveExternalCameraUseCase', () => {
  let h: UseCaseHarness;
  let systemId: string;
  const service = () => h.person('service', 'all');
  const resolve = (externalId: string, actor = service()) =>
    h.get(ResolveExternalCameraUseCase).execute({ actor, videoSystemId: systemId, externalId });

  beforeAll(async () => {
    h = await startUseCaseHarness('ucresolve');
    systemId = (await anAlmatyVideoSystem(h, h.person('region-admin'))).id;
  });
  afterAll(() => h.close());

  it('finds the camera behind the vendor’s id, and sees a change at once despite the cache', async () => {
    const admin = h.person('region-admin');
    const camera = await anAlmatyCamera(h, admin, systemId, '1');
    expect(await resolve('1')).toMatchObject({ id: camera.id, regionCode: 'ALA' });
    await h.get(DecommissionCameraUseCase).execute({ actor: admin, id: camera.id });
    expect((await resolve('1')).lifecycle).toBe(CameraLifecycle.CAMERA_LIFECYCLE_DECOMMISSIONED);
  });

  it('answers an unknown id, or one of another region, as not found naming what it looked for', async () => {
    await expect(resolve('no-such')).rejects.toEqual(
      new NotFoundError(`no camera no-such in video system ${systemId}`),
    );
    await anAlmatyCamera(h, h.person('region-admin'), systemId, '3');
    await expect(resolve('3', h.person('operator', ['AST']))).rejects.toBeInstanceOf(NotFoundError);
  });

  it('is refused to roles its policy does not name', async () => {
    await expect(resolve('1', h.person('social-worker'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
