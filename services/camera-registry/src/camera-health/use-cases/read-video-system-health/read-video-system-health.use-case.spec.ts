import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import {
  anAlmatyCamera,
  anAlmatyVideoSystem,
  startUseCaseHarness,
  videoSystemCaller,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { ReportSystemHeartbeatUseCase } from '../report-system-heartbeat/report-system-heartbeat.use-case';
import { ReadVideoSystemHealthUseCase } from './read-video-system-health.use-case';

describe('ReadVideoSystemHealthUseCase', () => {
  let h: UseCaseHarness;
  let systemId: string;
  const read = (actor = h.person('operator')) =>
    h.get(ReadVideoSystemHealthUseCase).execute({ actor, videoSystemId: systemId });

  beforeAll(async () => {
    h = await startUseCaseHarness('ucsyshealth');
    const admin = h.person('region-admin');
    systemId = (await anAlmatyVideoSystem(h, admin)).id;
    await anAlmatyCamera(h, admin, systemId, 's-1');
    await anAlmatyCamera(h, admin, systemId, 's-2');
  });
  afterAll(() => h.close());

  it('counts the system’s cameras by status and tells when it was last heard from', async () => {
    expect(await read()).toMatchObject({ status: 'unknown', cameras: { total: 2, unknown: 2 } });
    await h.get(ReportSystemHeartbeatUseCase).execute({
      actor: videoSystemCaller(systemId),
      videoSystemId: systemId,
      heartbeat: { cameras: [{ externalId: 's-1' }] },
    });
    expect(await read()).toMatchObject({
      status: 'online',
      lastCameraCount: 1,
      cameras: { online: 1, unknown: 1 },
    });
  });

  it('answers another region’s system as not found and refuses services', async () => {
    await expect(read(h.person('operator', ['AST']))).rejects.toBeInstanceOf(NotFoundError);
    await expect(read(h.person('service', 'all'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
