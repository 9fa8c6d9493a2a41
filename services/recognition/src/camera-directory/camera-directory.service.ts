import { Injectable, NotFoundException } from '@nestjs/common';
import { CameraChangeKind, type CameraChanged } from '@safecity/contracts';
import { Inbox, NonRetriableEventError, type ConsumedEvent } from '@safecity/messaging';
import { CameraDirectoryRepository, type DirectoryCamera } from './camera-directory.repository';
import { CameraRegistryGateway } from './camera-registry.client';

export type DirectorySource = 'read-model' | 'camera-registry';

@Injectable()
export class CameraDirectoryService {
  constructor(
    private readonly directory: CameraDirectoryRepository,
    private readonly registry: CameraRegistryGateway,
    private readonly inbox: Inbox,
  ) {}

  /** Applies one `safecity.cameras.v1` event exactly once. */
  async applyChange(event: ConsumedEvent<CameraChanged>): Promise<boolean> {
    const { camera, kind } = event.data;
    if (!camera?.id || kind === CameraChangeKind.CAMERA_CHANGE_KIND_UNSPECIFIED) {
      throw new NonRetriableEventError('camera change without camera or kind');
    }
    if (event.key && event.key !== camera.id) {
      throw new NonRetriableEventError(`event key ${event.key} does not match camera ${camera.id}`);
    }
    const { applied } = await this.inbox.once(event, async (manager) => {
      await this.directory.upsert(camera, manager);
      await this.directory.countChange(camera.id, manager);
    });
    return applied;
  }

  /** A camera from the local directory, or from camera-registry (and then remembered). */
  async get(id: string): Promise<{ camera: DirectoryCamera; source: DirectorySource }> {
    const local = await this.directory.findById(id);
    if (local) return { camera: local, source: 'read-model' };
    const remote = await this.registry.getCamera(id);
    if (!remote) throw new NotFoundException(`camera ${id} not found`);
    await this.directory.upsert(remote);
    const stored = await this.directory.findById(id);
    if (!stored) throw new NotFoundException(`camera ${id} not found`);
    return { camera: stored, source: 'camera-registry' };
  }
}
