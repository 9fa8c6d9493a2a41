import { Injectable } from '@nestjs/common';
import { RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import { CameraMediaSources, toView, type CameraMediaSourceView } from '../../camera-media-sources';
import { CameraMediaRepository } from '../../camera-media.repository';
import type { GetMediaSource } from './get-media-source.command';

/** A camera's media source without its credentials, of which only whether there are any. */
@Injectable()
export class GetMediaSourceUseCase extends UseCaseHandler<GetMediaSource, CameraMediaSourceView> {
  constructor(
    private readonly access: RegionAccess,
    private readonly media: CameraMediaSources,
    private readonly sources: CameraMediaRepository,
  ) {
    super();
  }

  @UseCase(P.readMediaSources)
  async execute({ actor, cameraId }: GetMediaSource): Promise<CameraMediaSourceView> {
    const scope = RegionScope.of(actor);
    const row = await this.access.run(scope, async (m) => {
      await this.media.camera(m, scope, cameraId);
      return this.sources.find(m, cameraId, this.media.regionsOf(scope));
    });
    if (!row) throw new NotFoundError(`camera ${cameraId} has no media source`);
    return toView(row);
  }
}
