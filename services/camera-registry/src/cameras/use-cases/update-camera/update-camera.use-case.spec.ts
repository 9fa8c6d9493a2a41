import { CameraChanged, CameraChangeKind } from '@safecity/contracts';
import { OperationRefusedException } from '@safecity/security';
import { ConflictError, InvalidError, NotFoundError } from '@safecity/service-kit';
import { eventually } from '@safecity/testing';
import {
  anAlmatyCamera,
  anAlmatyVideoSystem,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { DecommissionCameraUseCase } from '../decommission-camera/decommission-camera.use-case';
import { UpdateCameraUseCase } from './update-camera.use-case';

describe('UpdateCameraUseCase', () => {
  let h: UseCaseHarness;
  let systemId: string;
  const admin = () => h.person('region-admin');
  const fields = { name: 'renamed', location: { lat: 43.25, lon: 76.95 }, capabilities: ['faces' as const] };

  beforeAll(async () => {
    h = await startUseCaseHarness('ucupdcam');
    systemId = (await anAlmatyVideoSystem(h, admin())).id;
  });
  afterAll(() => h.close());

  it('replaces the fields, bumps the version and announces the update', async () => {
    const camera = await anAlmatyCamera(h, admin(), systemId, 'u-1');
    const updated = await h.get(UpdateCameraUseCase).execute({ actor: admin(), id: camera.id, fields });
    expect(updated).toMatchObject({ name: 'renamed', capabilities: ['faces'], version: 2 });
    const record = await eventually(() =>
      h.published.find(
        (r) =>
          r.key === camera.id &&
          CameraChanged.decode(r.value).kind === CameraChangeKind.CAMERA_CHANGE_KIND_UPDATED,
      ),
    );
    expect(CameraChanged.decode(record.value).camera?.name).toBe('renamed');
  });

  it('refuses a decommissioned camera as a conflict, a district of another region as invalid', async () => {
    const camera = await anAlmatyCamera(h, admin(), systemId, 'u-2');
    const update = (f: typeof fields & { districtCode?: string }) =>
      h.get(UpdateCameraUseCase).execute({ actor: admin(), id: camera.id, fields: f });
    await expect(update({ ...fields, districtCode: 'NO-SUCH' })).rejects.toBeInstanceOf(InvalidError);
    await h.get(DecommissionCameraUseCase).execute({ actor: admin(), id: camera.id });
    await expect(update(fields)).rejects.toBeInstanceOf(ConflictError);
  });

  it('answers another region’s camera as not found, and refuses operators', async () => {
    const camera = await anAlmatyCamera(h, admin(), systemId, 'u-3');
    const astana = h.person('region-admin', ['AST']);
    await expect(
      h.get(UpdateCameraUseCase).execute({ actor: astana, id: camera.id, fields }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      h.get(UpdateCameraUseCase).execute({ actor: h.person('operator'), id: camera.id, fields }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
