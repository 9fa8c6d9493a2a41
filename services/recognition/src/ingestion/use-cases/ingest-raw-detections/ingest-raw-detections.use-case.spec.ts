import { OperationRefusedException } from '@safecity/security';
import {
  aDirectoryCamera,
  plateReads,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { IngestRawDetectionsUseCase } from './ingest-raw-detections.use-case';

describe('IngestRawDetectionsUseCase', () => {
  let h: UseCaseHarness;
  beforeAll(async () => (h = await startUseCaseHarness('ucingrw')));
  afterAll(() => h.close());

  it('stores a fetched batch of several systems in one call; a redelivery stores nothing again', async () => {
    const [a, b] = [await aDirectoryCamera(h), await aDirectoryCamera(h)];
    const units = [
      ...plateReads(a, ['123ABC02']).map((candidate) => ({
        source: { videoSystemId: a.videoSystemId, regionCode: 'ALA', adapter: 'canonical-kafka' as const },
        candidate,
      })),
      ...plateReads(b, ['777KZA02', '555AAA02']).map((candidate) => ({
        source: { videoSystemId: b.videoSystemId, regionCode: 'ALA', adapter: 'canonical-kafka' as const },
        candidate,
      })),
    ];
    const actor = h.person('service', 'all');
    expect(
      await h.get(IngestRawDetectionsUseCase).execute({ actor, units, templatesRefused: 0 }),
    ).toMatchObject({
      received: 3,
      accepted: 3,
    });
    expect(
      await h.get(IngestRawDetectionsUseCase).execute({ actor, units, templatesRefused: 1 }),
    ).toMatchObject({
      accepted: 0,
      duplicates: 3,
    });
    expect(
      await h.get(IngestRawDetectionsUseCase).execute({ actor, units: [], templatesRefused: 2 }),
    ).toBeNull();
  });

  it('is refused to anyone but the platform’s services', async () => {
    await expect(
      h
        .get(IngestRawDetectionsUseCase)
        .execute({ actor: h.person('operator'), units: [], templatesRefused: 0 }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
