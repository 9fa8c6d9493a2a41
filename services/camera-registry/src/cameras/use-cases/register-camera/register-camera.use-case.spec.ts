import { CameraChanged, CameraChangeKind, EventTypes } from '@safecity/contracts';
import { CeHeader } from '@safecity/messaging';
import { OperationRefusedException } from '@safecity/security';
import { ConflictError, InvalidError } from '@safecity/service-kit';
import { eventually } from '@safecity/testing';
import {
  anAlmatyCamera,
  anAlmatyVideoSystem,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { RegisterCameraUseCase } from './register-camera.use-case';

describe('RegisterCameraUseCase', () => {
  let h: UseCaseHarness;
  let systemId: string;
  const admin = () => h.person('region-admin');

  beforeAll(async () => {
    h = await startUseCaseHarness('ucregcam');
    systemId = (await anAlmatyVideoSystem(h, admin())).id;
  });
  afterAll(() => h.close());

  it('registers the camera in its system’s region, announces it and audits who did', async () => {
    const camera = await anAlmatyCamera(h, admin(), systemId, 'gate-1');
    expect(camera).toMatchObject({ regionCode: 'ALA', lifecycle: 'active', status: 'unknown', version: 1 });
    const record = await eventually(() => h.published.find((r) => r.key === camera.id));
    expect(record.headers[CeHeader.Type]).toBe(EventTypes.CameraRegistered);
    expect(CameraChanged.decode(record.value).kind).toBe(CameraChangeKind.CAMERA_CHANGE_KIND_REGISTERED);
    const audit = await h.query(`SELECT action FROM audit_log WHERE object_id = $1`, [camera.id]);
    expect(audit).toEqual([{ action: 'create' }]);
  });

  it('refuses a second camera with the same external id as a conflict on externalId', async () => {
    await anAlmatyCamera(h, admin(), systemId, 'gate-2');
    const again = anAlmatyCamera(h, admin(), systemId, 'gate-2');
    await expect(again).rejects.toBeInstanceOf(ConflictError);
    await expect(again).rejects.toMatchObject({ problems: [{ field: 'externalId' }] });
  });

  it('refuses a system of another region as unknown, and a location outside the region', async () => {
    const astana = h.person('region-admin', ['AST']);
    await expect(anAlmatyCamera(h, astana, systemId, 'gate-3')).rejects.toMatchObject({
      problems: [{ field: 'videoSystemId', reason: `unknown video system ${systemId}` }],
    });
    const outside = h.get(RegisterCameraUseCase).execute({
      actor: admin(),
      camera: {
        videoSystemId: systemId,
        externalId: 'gate-4',
        name: 'x',
        location: { lat: 51.13, lon: 71.43 },
        capabilities: [],
      },
    });
    await expect(outside).rejects.toBeInstanceOf(InvalidError);
    await expect(outside).rejects.toMatchObject({ problems: [{ field: 'location' }] });
  });

  it('is refused to roles its policy does not name', async () => {
    await expect(anAlmatyCamera(h, h.person('operator'), systemId, 'gate-5')).rejects.toBeInstanceOf(
      OperationRefusedException,
    );
  });
});
