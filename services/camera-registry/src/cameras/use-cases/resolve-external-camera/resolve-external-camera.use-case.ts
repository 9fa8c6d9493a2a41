import { Injectable } from '@nestjs/common';
import type { Camera as CameraMessage } from '@safecity/contracts';
import { RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import { CameraLookupCache } from '../../camera-lookup.cache';
import { toCameraMessage } from '../../camera.mapper';
import { CamerasRepository } from '../../cameras.repository';
import type { ResolveExternalCamera } from './resolve-external-camera.command';

/**
 * The contract view of the camera behind a vendor's id, from the lookup cache when it is fresh
 * (misses too, for a short while): recognition asks for every detection of a camera it has not
 * seen.
 */
@Injectable()
export class ResolveExternalCameraUseCase extends UseCaseHandler<ResolveExternalCamera, CameraMessage> {
  constructor(
    private readonly cameras: CamerasRepository,
    private readonly lookups: CameraLookupCache,
    private readonly access: RegionAccess,
  ) {
    super();
  }

  @UseCase(P.resolveExternalCamera)
  async execute({ actor, videoSystemId, externalId }: ResolveExternalCamera): Promise<CameraMessage> {
    const scope = RegionScope.of(actor);
    let camera = this.lookups.get(scope.toSetting(), videoSystemId, externalId);
    if (camera === undefined) {
      const row = await this.access.run(scope, (m) =>
        this.cameras.resolveExternal(m, scope, videoSystemId, externalId),
      );
      camera = row ? toCameraMessage(row) : null;
      this.lookups.set(scope.toSetting(), videoSystemId, externalId, camera);
    }
    if (!camera) throw new NotFoundError(`no camera ${externalId} in video system ${videoSystemId}`);
    return camera;
  }
}
