import { OperationRefusedException } from '@safecity/security';
import { ConflictError, NotFoundError } from '@safecity/service-kit';
import {
  anAlmatyCamera,
  anAlmatyVideoSystem,
  startUseCaseHarness,
  videoSystemCaller,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { DecommissionCameraUseCase } from '../../../cameras/use-cases';
import { ReportCameraHeartbeatUseCase } from './report-camera-heartbeat.use-case';

describe('ReportCameraHeartbeatUseCase', () => {
  let h: UseCaseHarness;
  let systemId: string;
  let otherSystemId: string;
  const report = (cameraId: string, heartbeat: object = {}, actor = videoSystemCaller(systemId)) =>
    h.get(ReportCameraHeartbeatUseCase).execute({ actor, cameraId, heartbeat } as never);

  beforeAll(async () => {
    h = await startUseCaseHarness('uccambeat');
    systemId = (await anAlmatyVideoSystem(h, h.person('region-admin'))).id;
    otherSystemId = (await anAlmatyVideoSystem(h, h.person('region-admin'))).id;
  });
  afterAll(() => h.close());

  it('records the heartbeat and answers the camera’s health; a fault takes it offline', async () => {
    const camera = await anAlmatyCamera(h, h.person('region-admin'), systemId, 'c-1');
    expect(await report(camera.id)).toMatchObject({ cameraId: camera.id, status: 'online', monitored: true });
    expect(await report(camera.id, { status: 'fault', detail: 'lens covered' })).toMatchObject({
      status: 'offline',
      condition: 'fault',
      detail: 'lens covered',
    });
  });

  it('answers another system’s camera as not found and a decommissioned one as a conflict', async () => {
    const camera = await anAlmatyCamera(h, h.person('region-admin'), systemId, 'c-2');
    await expect(report(camera.id, {}, videoSystemCaller(otherSystemId))).rejects.toEqual(
      new NotFoundError(`camera ${camera.id} not found`),
    );
    await h.get(DecommissionCameraUseCase).execute({ actor: h.person('region-admin'), id: camera.id });
    await expect(report(camera.id)).rejects.toBeInstanceOf(ConflictError);
  });

  it('is refused to services: only video systems report', async () => {
    await expect(report('x', {}, h.person('service', 'all'))).rejects.toBeInstanceOf(
      OperationRefusedException,
    );
  });
});
