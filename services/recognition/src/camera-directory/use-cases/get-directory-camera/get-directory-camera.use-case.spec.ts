import { OperationRefusedException } from '@safecity/security';
import { NotFoundError, UnavailableError } from '@safecity/service-kit';
import { randomUUID } from 'node:crypto';
import {
  aDirectoryCamera,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { GetDirectoryCameraUseCase } from './get-directory-camera.use-case';

describe('GetDirectoryCameraUseCase', () => {
  let h: UseCaseHarness;
  beforeAll(async () => (h = await startUseCaseHarness('ucgetdir')));
  afterAll(() => h.close());

  it('gives the camera from recognition’s own copy, saying so', async () => {
    const camera = await aDirectoryCamera(h);
    expect(
      await h.get(GetDirectoryCameraUseCase).execute({ actor: h.person('operator'), id: camera.id }),
    ).toMatchObject({
      source: 'read-model',
      camera: { id: camera.id, regionCode: 'ALA' },
    });
  });

  it('is unavailable, never "no such camera", when camera-registry cannot be asked about one it lacks', async () => {
    await expect(
      h.get(GetDirectoryCameraUseCase).execute({ actor: h.person('operator'), id: randomUUID() }),
    ).rejects.toBeInstanceOf(UnavailableError);
  });

  it('refuses analysts; another region’s camera is not in the caller’s copy', async () => {
    const camera = await aDirectoryCamera(h, { regionCode: 'AST' });
    const get = (actor: ReturnType<UseCaseHarness['person']>) =>
      h.get(GetDirectoryCameraUseCase).execute({ actor, id: camera.id });
    await expect(get(h.person('analyst'))).rejects.toBeInstanceOf(OperationRefusedException);
    expect((await get(h.person('operator', ['AST']))).camera.regionCode).toBe('AST');
    await expect(get(h.person('operator'))).rejects.not.toBeInstanceOf(NotFoundError);
  });
});
