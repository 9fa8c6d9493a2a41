import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import {
  aDirectoryCamera,
  plateReads,
  startUseCaseHarness,
  videoSystemCaller,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { IngestDetectionsUseCase } from '../ingest-detections/ingest-detections.use-case';
import { GetDetectionUseCase } from './get-detection.use-case';

describe('GetDetectionUseCase', () => {
  let h: UseCaseHarness;
  let id: string;
  beforeAll(async () => {
    h = await startUseCaseHarness('ucgetdt');
    const camera = await aDirectoryCamera(h);
    const summary = await h.get(IngestDetectionsUseCase).execute({
      actor: videoSystemCaller(camera.videoSystemId),
      adapter: 'canonical',
      candidates: plateReads(camera, ['123ABC02']),
    });
    id = summary.detections[0].id!;
  });
  afterAll(() => h.close());

  it('gives the detection, plate included, to readers of its region', async () => {
    expect(await h.get(GetDetectionUseCase).execute({ actor: h.person('analyst'), id })).toMatchObject({
      id,
      regionCode: 'ALA',
      plate: { text: '123ABC02' },
    });
  });

  it('answers another region’s detection like a missing one, and refuses social workers', async () => {
    await expect(
      h.get(GetDetectionUseCase).execute({ actor: h.person('operator', ['AST']), id }),
    ).rejects.toEqual(new NotFoundError(`detection ${id} not found`));
    await expect(
      h.get(GetDetectionUseCase).execute({ actor: h.person('social-worker'), id }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
