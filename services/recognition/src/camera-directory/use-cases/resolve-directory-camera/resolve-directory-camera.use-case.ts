import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { CameraDirectoryService } from '../../camera-directory.service';
import type { DirectoryCamera } from '../../camera-directory.repository';
import { camerasUnavailable } from '../get-directory-camera/get-directory-camera.use-case';
import type { ResolveDirectoryCamera } from './resolve-directory-camera.command';

/** The platform camera behind a vendor camera id, as detection ingestion resolves it. */
@Injectable()
export class ResolveDirectoryCameraUseCase extends UseCaseHandler<ResolveDirectoryCamera, DirectoryCamera> {
  constructor(private readonly directory: CameraDirectoryService) {
    super();
  }

  @UseCase(P.readCameraDirectory)
  async execute({ actor, videoSystemId, externalId }: ResolveDirectoryCamera): Promise<DirectoryCamera> {
    const camera = await this.directory.resolveExternal(videoSystemId, externalId).catch(camerasUnavailable);
    // Another region's camera is answered exactly like a missing one.
    if (!camera || !RegionScope.of(actor).includes(camera.regionCode)) {
      throw new NotFoundError(`no camera ${externalId} in video system ${videoSystemId}`);
    }
    return camera;
  }
}
