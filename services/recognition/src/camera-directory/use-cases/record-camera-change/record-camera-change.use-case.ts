import { Injectable } from '@nestjs/common';
import { CameraChangeKind } from '@safecity/contracts';
import { Inbox, NonRetriableEventError } from '@safecity/messaging';
import { UseCase, UseCaseHandler } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { CameraDirectoryRepository } from '../../camera-directory.repository';
import { CameraDirectoryService } from '../../camera-directory.service';
import type { RecordCameraChange } from './record-camera-change.command';

/**
 * Applies one change of camera-registry to recognition's camera directory, exactly once (the
 * inbox), and forgets what ingestion remembered of the camera. A change without a camera or
 * kind, or keyed by another camera, can never apply: it is refused for the dead-letter topic.
 */
@Injectable()
export class RecordCameraChangeUseCase extends UseCaseHandler<RecordCameraChange, boolean> {
  constructor(
    private readonly directory: CameraDirectoryRepository,
    private readonly resolved: CameraDirectoryService,
    private readonly inbox: Inbox,
  ) {
    super();
  }

  @UseCase(P.recordCameraChanges)
  async execute({ change }: RecordCameraChange): Promise<boolean> {
    const { camera, kind } = change.data;
    if (!camera?.id || kind === CameraChangeKind.CAMERA_CHANGE_KIND_UNSPECIFIED) {
      throw new NonRetriableEventError('camera change without camera or kind');
    }
    if (change.key && change.key !== camera.id) {
      throw new NonRetriableEventError(`event key ${change.key} does not match camera ${camera.id}`);
    }
    // The inbox opens the unit of work; the directory's statements join it.
    const { applied } = await this.inbox.once(change, async () => {
      await this.directory.upsert(camera);
      await this.directory.countChange(camera.id);
    });
    this.resolved.forget(camera.videoSystemId, camera.externalId);
    return applied;
  }
}
