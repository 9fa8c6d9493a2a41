import { randomUUID } from 'node:crypto';
import { OperationRefusedException } from '@safecity/security';
import { InvalidError, NotFoundError } from '@safecity/service-kit';
import {
  anAlmatyCamera,
  anAlmatyVideoSystem,
  startUseCaseHarness,
  videoSystemCaller,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { ReadCameraHealthUseCase } from '../read-camera-health/read-camera-health.use-case';
import { ReportSystemHeartbeatUseCase } from './report-system-heartbeat.use-case';

describe('ReportSystemHeartbeatUseCase', () => {
  let h: UseCaseHarness;
  let systemId: string;
  const report = (heartbeat: object, actor = videoSystemCaller(systemId), videoSystemId = systemId) =>
    h.get(ReportSystemHeartbeatUseCase).execute({ actor, videoSystemId, heartbeat } as never);

  beforeAll(async () => {
    h = await startUseCaseHarness('ucsysbeat');
    systemId = (await anAlmatyVideoSystem(h, h.person('region-admin'))).id;
  });
  afterAll(() => h.close());

  it('marks the listed cameras seen and names those it does not know', async () => {
    const camera = await anAlmatyCamera(h, h.person('region-admin'), systemId, 'hb-1');
    const outcome = await report({ cameras: [{ externalId: 'hb-1' }, { externalId: 'nobody' }] });
    expect(outcome).toEqual({ accepted: 1, unknown: ['nobody'], notMonitored: [] });
    const health = await h
      .get(ReadCameraHealthUseCase)
      .execute({ actor: h.person('operator'), cameraId: camera.id });
    expect(health).toMatchObject({ status: 'online', condition: 'ok' });
  });

  it('refuses an observation from the future, and another system’s id as not found', async () => {
    const ahead = new Date(Date.now() + 3_600_000).toISOString();
    const future = report({ observedAt: ahead, cameras: [] });
    await expect(future).rejects.toBeInstanceOf(InvalidError);
    await expect(future).rejects.toMatchObject({ problems: [{ field: 'observedAt' }] });
    await expect(report({ cameras: [] }, videoSystemCaller(randomUUID()))).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('is refused to people: only video systems report', async () => {
    await expect(report({ cameras: [] }, h.person('admin', 'all'))).rejects.toBeInstanceOf(
      OperationRefusedException,
    );
  });
});
