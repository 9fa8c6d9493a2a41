import { common } from '@safecity/contracts';
import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { randomUUID } from 'node:crypto';
import {
  aDirectoryCamera,
  plateReads,
  startUseCaseHarness,
  videoSystemCaller,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { GetDetectionUseCase } from '../get-detection/get-detection.use-case';
import { IngestDetectionsUseCase } from '../ingest-detections/ingest-detections.use-case';
import { ReadMediaUseCase } from './read-media.use-case';

describe('ReadMediaUseCase', () => {
  let h: UseCaseHarness;
  let pictureId: string;
  const bytes = Buffer.from('a plate snapshot, as a camera would send it');
  beforeAll(async () => {
    h = await startUseCaseHarness('ucrdmed');
    const camera = await aDirectoryCamera(h);
    const [candidate] = plateReads(camera, ['123ABC02']);
    candidate.pictures = [{ kind: common.MediaKind.MEDIA_KIND_SNAPSHOT, contentType: 'image/jpeg', bytes }];
    const summary = await h.get(IngestDetectionsUseCase).execute({
      actor: videoSystemCaller(camera.videoSystemId),
      adapter: 'canonical',
      candidates: [candidate],
    });
    const detection = await h
      .get(GetDetectionUseCase)
      .execute({ actor: h.person('operator'), id: summary.detections[0].id! });
    pictureId = detection.media[0].uri.slice('/media/'.length);
  });
  afterAll(() => h.close());

  it('hands out the picture to readers of its region, the read audited with its purpose', async () => {
    const actor = h.person('operator');
    const picture = await h.get(ReadMediaUseCase).execute({ actor, id: pictureId, purpose: 'incident 9' });
    expect(picture).toMatchObject({ contentType: 'image/jpeg', regionCode: 'ALA' });
    expect(picture.bytes.equals(bytes)).toBe(true);
    expect(
      await h.query(`SELECT actor_subject, purpose FROM audit_log WHERE object_id = $1`, [pictureId]),
    ).toEqual([{ actor_subject: actor.subject, purpose: 'incident 9' }]);
  });

  it('answers another region’s or a missing picture alike, and refuses social workers', async () => {
    const read = (actor: ReturnType<UseCaseHarness['person']>, id = pictureId) =>
      h.get(ReadMediaUseCase).execute({ actor, id, purpose: 'x' });
    await expect(read(h.person('operator', ['AST']))).rejects.toEqual(
      new NotFoundError(`picture ${pictureId} not found`),
    );
    await expect(read(h.person('operator'), randomUUID())).rejects.toBeInstanceOf(NotFoundError);
    await expect(read(h.person('social-worker'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
