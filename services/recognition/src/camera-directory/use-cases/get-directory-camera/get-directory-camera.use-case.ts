import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { isDependencyUnavailable, NotFoundError, UnavailableError } from '@safecity/service-kit';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { CameraDirectoryRepository, type DirectoryCamera } from '../../camera-directory.repository';
import { CameraRegistryGateway } from '../../camera-registry.client';
import type { GetDirectoryCamera } from './get-directory-camera.command';

export type DirectorySource = 'read-model' | 'camera-registry';

/** camera-registry or the database cannot answer: unavailable, never "no such camera". */
export function camerasUnavailable(error: unknown): never {
  if (isDependencyUnavailable(error))
    throw new UnavailableError('cameras cannot be looked up now; retry later', { cause: error });
  throw error;
}

/**
 * How recognition sees a camera, and whether it came from its local copy or from camera-registry
 * (then remembered). Another region's camera is not found, like a missing one.
 */
@Injectable()
export class GetDirectoryCameraUseCase extends UseCaseHandler<
  GetDirectoryCamera,
  { camera: DirectoryCamera; source: DirectorySource }
> {
  constructor(
    private readonly directory: CameraDirectoryRepository,
    private readonly registry: CameraRegistryGateway,
  ) {
    super();
  }

  @UseCase(P.readCameraDirectory)
  async execute({
    actor,
    id,
  }: GetDirectoryCamera): Promise<{ camera: DirectoryCamera; source: DirectorySource }> {
    const scope = RegionScope.of(actor);
    try {
      const local = await this.directory.findById(id, scope);
      if (local) return { camera: local, source: 'read-model' };
      const remote = await this.registry.getCamera(id);
      if (!remote || !scope.includes(remote.regionCode)) throw new NotFoundError(`camera ${id} not found`);
      await this.directory.upsert(remote);
      const stored = await this.directory.findById(id, scope);
      if (!stored) throw new NotFoundError(`camera ${id} not found`);
      return { camera: stored, source: 'camera-registry' };
    } catch (error) {
      if (error instanceof NotFoundError) throw error;
      camerasUnavailable(error);
    }
  }
}
