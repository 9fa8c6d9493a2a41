import { CameraChanged, CameraChangeKind, EventTypes, Topics } from '@safecity/contracts';
import { NonRetriableEventError, type ConsumedEvent } from '@safecity/messaging';
import { OperationRefusedException } from '@safecity/security';
import { randomUUID } from 'node:crypto';
import { startUseCaseHarness, type UseCaseHarness } from '../../../../test/use-case-harness';
import { testCamera } from '../../../../test/support';
import { RecordCameraChangeUseCase } from './record-camera-change.use-case';

describe('RecordCameraChangeUseCase', () => {
  let h: UseCaseHarness;
  const bus = () => h.person('service', 'all');
  beforeAll(async () => (h = await startUseCaseHarness('ucreccam')));
  afterAll(() => h.close());

  const change = (data: CameraChanged, key: string | null = null): ConsumedEvent<CameraChanged> => ({
    id: randomUUID(),
    type: EventTypes.CameraUpdated,
    source: '/safecity/camera-registry',
    time: new Date(),
    key,
    topic: Topics.Cameras,
    partition: 0,
    offset: '0',
    previousAttempts: 0,
    headers: {},
    data,
    raw: Buffer.from(CameraChanged.encode(data).finish()),
  });

  it('applies a change to the directory once, however often it is delivered', async () => {
    const camera = testCamera({ version: 3 });
    const event = change({ camera, kind: CameraChangeKind.CAMERA_CHANGE_KIND_UPDATED }, camera.id);
    expect(await h.get(RecordCameraChangeUseCase).execute({ actor: bus(), change: event })).toBe(true);
    expect(await h.get(RecordCameraChangeUseCase).execute({ actor: bus(), change: event })).toBe(false);
    expect(await h.query(`SELECT version::int FROM camera_directory WHERE id = $1`, [camera.id])).toEqual([
      { version: 3 },
    ]);
  });

  it('refuses for the dead-letter topic a change that can never apply, and callers other than services', async () => {
    const camera = testCamera();
    const record = (actor: ReturnType<UseCaseHarness['person']>, event: ConsumedEvent<CameraChanged>) =>
      h.get(RecordCameraChangeUseCase).execute({ actor, change: event });
    await expect(
      record(bus(), change({ camera, kind: CameraChangeKind.CAMERA_CHANGE_KIND_UPDATED }, randomUUID())),
    ).rejects.toBeInstanceOf(NonRetriableEventError);
    await expect(
      record(bus(), change({ camera, kind: CameraChangeKind.CAMERA_CHANGE_KIND_UNSPECIFIED })),
    ).rejects.toBeInstanceOf(NonRetriableEventError);
    await expect(
      record(h.person('admin', 'all'), change({ camera, kind: CameraChangeKind.CAMERA_CHANGE_KIND_UPDATED })),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
