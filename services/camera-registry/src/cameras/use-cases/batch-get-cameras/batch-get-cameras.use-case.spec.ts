import { randomUUID } from 'node:crypto';
import { OperationRefusedException } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import {
  anAlmatyCamera,
  anAlmatyVideoSystem,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { BatchGetCamerasUseCase } from './batch-get-cameras.use-case';

describe('BatchGetCamerasUseCase', () => {
  let h: UseCaseHarness;
  let cameraId: string;

  beforeAll(async () => {
    h = await startUseCaseHarness('ucbatchcam');
    const admin = h.person('region-admin');
    cameraId = (await anAlmatyCamera(h, admin, (await anAlmatyVideoSystem(h, admin)).id, 'b-1')).id;
  });
  afterAll(() => h.close());

  it('answers the cameras it found and names the ids it did not, each once', async () => {
    const missing = randomUUID();
    const answer = await h
      .get(BatchGetCamerasUseCase)
      .execute({ actor: h.person('service', 'all'), ids: [cameraId, missing, cameraId] });
    expect(answer.cameras.map((c) => c.id)).toEqual([cameraId]);
    expect(answer.missingIds).toEqual([missing]);
    const astana = await h
      .get(BatchGetCamerasUseCase)
      .execute({ actor: h.person('operator', ['AST']), ids: [cameraId] });
    expect(astana).toEqual({ cameras: [], missingIds: [cameraId] });
  });

  it('refuses more than 1,000 ids or one that is not a UUID, naming ids', async () => {
    const actor = h.person('service', 'all');
    const tooMany = Array.from({ length: 1001 }, () => randomUUID());
    await expect(h.get(BatchGetCamerasUseCase).execute({ actor, ids: tooMany })).rejects.toEqual(
      new InvalidError({ field: 'ids', reason: 'at most 1000 ids per call' }),
    );
    await expect(h.get(BatchGetCamerasUseCase).execute({ actor, ids: ['cam-1'] })).rejects.toMatchObject({
      problems: [{ field: 'ids', reason: '"cam-1" is not a UUID' }],
    });
  });

  it('is refused to roles its policy does not name', async () => {
    await expect(
      h.get(BatchGetCamerasUseCase).execute({ actor: h.person('prevention-officer'), ids: [] }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
