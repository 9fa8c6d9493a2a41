import { randomUUID } from 'node:crypto';
import { cameras, EventTypes } from '@safecity/contracts';
import type { ConsumedEvent } from '@safecity/messaging';
import { OperationRefusedException } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import {
  anAlmatyCamera,
  anAlmatyVideoSystem,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { ReadCameraHealthUseCase } from '../read-camera-health/read-camera-health.use-case';
import { RecordHeartbeatEventsUseCase } from './record-heartbeat-events.use-case';

function heartbeatEvent(videoSystemId: string, externalIds: string[], observedAt = new Date()) {
  return {
    id: randomUUID(),
    type: EventTypes.CameraHeartbeatReceived,
    time: observedAt,
    data: cameras.CameraHeartbeat.fromPartial({
      videoSystemId,
      observedAt,
      cameras: externalIds.map((externalId) => ({ externalId })),
    }),
  } as unknown as ConsumedEvent<cameras.CameraHeartbeat>;
}

describe('RecordHeartbeatEventsUseCase', () => {
  let h: UseCaseHarness;
  let systemId: string;
  const relay = () => h.person('service', 'all');
  const record = (heartbeats: ConsumedEvent<cameras.CameraHeartbeat>[], actor = relay()) =>
    h.get(RecordHeartbeatEventsUseCase).execute({ actor, heartbeats });

  beforeAll(async () => {
    h = await startUseCaseHarness('ucbeatevents');
    systemId = (await anAlmatyVideoSystem(h, h.person('region-admin'))).id;
  });
  afterAll(() => h.close());

  it('applies a batch of heartbeats in one go; a stale one is dropped', async () => {
    const seen = await anAlmatyCamera(h, h.person('region-admin'), systemId, 'e-1');
    const stale = await anAlmatyCamera(h, h.person('region-admin'), systemId, 'e-2');
    await record([
      heartbeatEvent(systemId, ['e-1']),
      heartbeatEvent(systemId, ['e-2'], new Date(Date.now() - 86_400_000)),
    ]);
    const health = (cameraId: string) =>
      h.get(ReadCameraHealthUseCase).execute({ actor: h.person('operator'), cameraId });
    expect((await health(seen.id)).status).toBe('online');
    expect((await health(stale.id)).lastHeartbeatAt).toBeNull();
  });

  it('refuses a heartbeat of an unknown system as invalid data, which the bus dead-letters', async () => {
    const unknown = randomUUID();
    const refusal = record([heartbeatEvent(unknown, [])]);
    await expect(refusal).rejects.toBeInstanceOf(InvalidError);
    await expect(refusal).rejects.toMatchObject({ message: `unknown video system ${unknown}` });
  });

  it('is refused to callers other than the platform’s services', async () => {
    await expect(record([], h.person('admin', 'all'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
