import { Injectable } from '@nestjs/common';
import { RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import { CameraMediaSources } from '../../camera-media-sources';
import { CameraMediaRepository } from '../../camera-media.repository';
import type { RemoveMediaSource } from './remove-media-source.command';

/** Stops the analytics reading a camera: the source is emptied of credentials, audited and published. */
@Injectable()
export class RemoveMediaSourceUseCase extends UseCaseHandler<RemoveMediaSource, void> {
  constructor(
    private readonly access: RegionAccess,
    private readonly media: CameraMediaSources,
    private readonly sources: CameraMediaRepository,
  ) {
    super();
  }

  @UseCase(P.keepMediaSources)
  async execute({ actor, cameraId }: RemoveMediaSource): Promise<void> {
    const scope = RegionScope.of(actor);
    await this.access.run(scope, async (m) => {
      const camera = await this.media.camera(m, scope, cameraId);
      const current = await this.sources.lock(m, cameraId, this.media.regionsOf(scope));
      if (!current || current.removed) throw new NotFoundError(`camera ${cameraId} has no media source`);
      // The row stays, emptied of credentials, so that a source set again continues its version.
      const saved = await this.sources.save(m, {
        ...current,
        sealedCredentials: null,
        version: current.version + 1,
        removed: true,
      });
      await this.media.record(m, camera, saved, actor, 'removed');
    });
  }
}
