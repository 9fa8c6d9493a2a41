import { EventTypes, recognition } from '@safecity/contracts';
import { CeHeader } from '@safecity/messaging';
import { OperationRefusedException } from '@safecity/security';
import { UnavailableError } from '@safecity/service-kit';
import { eventually } from '@safecity/testing';
import { randomUUID } from 'node:crypto';
import {
  aDirectoryCamera,
  plateReads,
  startUseCaseHarness,
  videoSystemCaller,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { detectionId } from '../../detection-id';
import { IngestDetectionsUseCase } from './ingest-detections.use-case';

describe('IngestDetectionsUseCase', () => {
  let h: UseCaseHarness;
  beforeAll(async () => (h = await startUseCaseHarness('ucingdt')));
  afterAll(() => h.close());

  it('stores a batch in one call, announces each new detection, and answers what became of each', async () => {
    const camera = await aDirectoryCamera(h);
    const actor = videoSystemCaller(camera.videoSystemId);
    const candidates = plateReads(camera, ['123ABC02', '777KZA02']);
    const summary = await h.get(IngestDetectionsUseCase).execute({ actor, adapter: 'canonical', candidates });
    expect(summary).toMatchObject({ received: 2, accepted: 2, duplicates: 0 });
    const id = detectionId(camera.videoSystemId, candidates[0].vendorEventId);
    const record = await eventually(() => h.published.find((r) => r.headers[CeHeader.Id] === id));
    expect(record.headers[CeHeader.Type]).toBe(EventTypes.DetectionObserved);
    expect(recognition.DetectionObserved.decode(record.value).detection).toMatchObject({
      plate: { text: '123ABC02' },
    });
    const again = await h.get(IngestDetectionsUseCase).execute({ actor, adapter: 'canonical', candidates });
    expect(again).toMatchObject({ accepted: 0, duplicates: 2 });
  });

  it('stores nothing and asks for the batch again when its cameras cannot be looked up', async () => {
    const camera = await aDirectoryCamera(h);
    const stranger = videoSystemCaller(randomUUID());
    // Not in the directory, and camera-registry is not there to ask.
    const refused = h
      .get(IngestDetectionsUseCase)
      .execute({ actor: stranger, adapter: 'canonical', candidates: plateReads(camera, ['1A']) });
    await expect(refused).rejects.toBeInstanceOf(UnavailableError);
    await expect(refused).rejects.toMatchObject({ retryAfterSeconds: 5 });
    expect(await h.query(`SELECT id FROM detections WHERE video_system_id = $1`, [stranger.subject])).toEqual(
      [],
    );
  });

  it('is refused to anyone but a video system', async () => {
    const camera = await aDirectoryCamera(h);
    await expect(
      h.get(IngestDetectionsUseCase).execute({
        actor: h.person('operator'),
        adapter: 'canonical',
        candidates: plateReads(camera, ['1A']),
      }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
