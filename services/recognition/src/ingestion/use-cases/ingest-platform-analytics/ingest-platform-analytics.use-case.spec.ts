import { OperationRefusedException } from '@safecity/security';
import {
  aDirectoryCamera,
  plateReads,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { IngestPlatformAnalyticsUseCase } from './ingest-platform-analytics.use-case';

describe('IngestPlatformAnalyticsUseCase', () => {
  let h: UseCaseHarness;
  beforeAll(async () => (h = await startUseCaseHarness('ucingpa')));
  afterAll(() => h.close());

  it('stores what the platform’s analytics saw on behalf of the camera’s video system', async () => {
    const camera = await aDirectoryCamera(h);
    const summary = await h.get(IngestPlatformAnalyticsUseCase).execute({
      actor: h.person('service', 'all'),
      videoSystemId: camera.videoSystemId,
      regionCode: 'ALA',
      candidates: plateReads(camera, ['123ABC02']),
    });
    expect(summary).toMatchObject({ received: 1, accepted: 1 });
    expect(
      await h.query(`SELECT camera_id FROM detections WHERE video_system_id = $1`, [camera.videoSystemId]),
    ).toEqual([{ camera_id: camera.id }]);
  });

  it('is refused to people: only the platform’s services deliver analytics', async () => {
    const camera = await aDirectoryCamera(h);
    await expect(
      h.get(IngestPlatformAnalyticsUseCase).execute({
        actor: h.person('operator'),
        videoSystemId: camera.videoSystemId,
        regionCode: 'ALA',
        candidates: [],
      }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
