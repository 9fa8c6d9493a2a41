import { CameraChanged, CameraChangeKind } from '@safecity/contracts';
import { OperationRefusedException } from '@safecity/security';
import { ConflictError, NotFoundError } from '@safecity/service-kit';
import { eventually } from '@safecity/testing';
import { randomUUID } from 'node:crypto';
import {
  anAlmatyCamera,
  anAlmatyVideoSystem,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { DecommissionCameraUseCase } from './decommission-camera.use-case';

describe('DecommissionCameraUseCase', () => {
  let h: UseCaseHarness;
  let systemId: string;
  const admin = () => h.person('region-admin');

  beforeAll(async () => {
    h = await startUseCaseHarness('ucdeccam');
    systemId = (await anAlmatyVideoSystem(h, admin())).id;
  });
  afterAll(() => h.close());

  it('takes the camera out of service once, announcing it; a second time is a conflict', async () => {
    const camera = await anAlmatyCamera(h, admin(), systemId, 'd-1');
    const decommission = () => h.get(DecommissionCameraUseCase).execute({ actor: admin(), id: camera.id });
    expect(await decommission()).toMatchObject({ lifecycle: 'decommissioned', version: 2 });
    await eventually(() =>
      h.published.find(
        (r) =>
          r.key === camera.id &&
          CameraChanged.decode(r.value).kind === CameraChangeKind.CAMERA_CHANGE_KIND_DECOMMISSIONED,
      ),
    );
    await expect(decommission()).rejects.toBeInstanceOf(ConflictError);
  });

  it('answers a missing camera as not found and refuses analysts', async () => {
    await expect(
      h.get(DecommissionCameraUseCase).execute({ actor: admin(), id: randomUUID() }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      h.get(DecommissionCameraUseCase).execute({ actor: h.person('analyst'), id: randomUUID() }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
