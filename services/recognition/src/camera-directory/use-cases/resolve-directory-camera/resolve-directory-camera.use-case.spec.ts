import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import {
  aDirectoryCamera,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { ResolveDirectoryCameraUseCase } from './resolve-directory-camera.use-case';

describe('ResolveDirectoryCameraUseCase', () => {
  let h: UseCaseHarness;
  beforeAll(async () => (h = await startUseCaseHarness('ucresdir')));
  afterAll(() => h.close());

  it('resolves a vendor camera id to the platform camera, as ingestion does', async () => {
    const camera = await aDirectoryCamera(h);
    const resolved = await h.get(ResolveDirectoryCameraUseCase).execute({
      actor: h.person('service', 'all'),
      videoSystemId: camera.videoSystemId,
      externalId: camera.externalId,
    });
    expect(resolved).toMatchObject({ id: camera.id, regionCode: 'ALA' });
  });

  it('answers another region’s camera like a missing one, and refuses analysts', async () => {
    const camera = await aDirectoryCamera(h);
    const resolve = (actor: ReturnType<UseCaseHarness['person']>) =>
      h
        .get(ResolveDirectoryCameraUseCase)
        .execute({ actor, videoSystemId: camera.videoSystemId, externalId: camera.externalId });
    await expect(resolve(h.person('operator', ['AST']))).rejects.toEqual(
      new NotFoundError(`no camera ${camera.externalId} in video system ${camera.videoSystemId}`),
    );
    await expect(resolve(h.person('analyst'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
