import { randomUUID } from 'node:crypto';
import { cameras, EventTypes } from '@safecity/contracts';
import { OperationRefusedException } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import { cameraChanged } from '../../../../test/fixtures';
import {
  BUS_PRODUCER,
  consumed,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { RecordCameraChangeUseCase } from './record-camera-change.use-case';

describe('RecordCameraChangeUseCase', () => {
  let h: UseCaseHarness;
  const record = (message: cameras.CameraChanged, actor = BUS_PRODUCER) =>
    h
      .get(RecordCameraChangeUseCase)
      .execute({ actor, event: consumed(EventTypes.CameraRegistered, message) });

  beforeAll(async () => {
    h = await startUseCaseHarness('uccamerachange');
  });
  afterAll(() => h.close());

  it('keeps the camera’s place and tags as camera-registry announced them', async () => {
    const id = randomUUID();
    await record(cameraChanged(id, { tags: ['school'] }));
    await record(cameraChanged(id, { tags: ['school', 'market'], address: 'Abay ave 12', version: 2 }));
    const rows = await h.query(
      `SELECT region_code AS "regionCode", tags FROM camera_directory WHERE id = $1`,
      [id],
    );
    expect(rows).toEqual([{ regionCode: 'ALA', tags: ['school', 'market'] }]);
  });

  it('refuses a change without a camera id as invalid', async () => {
    await expect(record(cameraChanged('', {}))).rejects.toBeInstanceOf(InvalidError);
  });

  it('is refused to people', async () => {
    await expect(record(cameraChanged(randomUUID()), h.person('admin', 'all'))).rejects.toBeInstanceOf(
      OperationRefusedException,
    );
  });
});
