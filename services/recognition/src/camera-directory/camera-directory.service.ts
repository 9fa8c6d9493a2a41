import { Injectable, NotFoundException } from '@nestjs/common';
import { CameraChangeKind, type CameraChanged } from '@safecity/contracts';
import { Inbox, NonRetriableEventError, type ConsumedEvent } from '@safecity/messaging';
import { RegionScope, UseCase } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../recognition.policies';
import { CameraDirectoryRepository, type DirectoryCamera } from './camera-directory.repository';
import { CameraRegistryGateway } from './camera-registry.client';

export type DirectorySource = 'read-model' | 'camera-registry';

/** Vendor camera ids resolved recently; entries leave when a change for the camera is applied. */
const RESOLVED_MAX = 100_000;

@Injectable()
export class CameraDirectoryService {
  private readonly resolved = new Map<string, DirectoryCamera>();

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
    this.forget(camera.videoSystemId, camera.externalId);
    return applied;
  }

  /**
   * The platform camera behind a vendor's camera id, as every detection needs it: from memory,
   * else the local directory, else camera-registry's ResolveExternalCamera (then remembered).
   * Null when no such camera is registered.
   */
  async resolveExternal(videoSystemId: string, externalId: string): Promise<DirectoryCamera | null> {
    const key = `${videoSystemId}/${externalId}`;
    const hit = this.resolved.get(key);
    if (hit) return hit;
    // Ingestion resolves on behalf of every region; callers narrow the answer to their own.
    const all = RegionScope.allRegions();
    let camera = await this.directory.findByExternalId(videoSystemId, externalId, all);
    if (!camera) {
      const remote = await this.registry.resolveExternalCamera(videoSystemId, externalId);
      if (!remote) return null;
      await this.directory.upsert(remote);
      camera = await this.directory.findById(remote.id, all);
      if (!camera) return null;
    }
    if (this.resolved.size >= RESOLVED_MAX) this.resolved.delete(this.resolved.keys().next().value as string);
    this.resolved.set(key, camera);
    return camera;
  }

  private forget(videoSystemId: string, externalId: string) {
    this.resolved.delete(`${videoSystemId}/${externalId}`);
  }

  /** A camera from the local directory, or from camera-registry (and then remembered). */
  @UseCase(P.readCameraDirectory)
  async get(id: string, scope: RegionScope): Promise<{ camera: DirectoryCamera; source: DirectorySource }> {
    const local = await this.directory.findById(id, scope);
    if (local) return { camera: local, source: 'read-model' };
    const remote = await this.registry.getCamera(id);
    if (!remote || !scope.includes(remote.regionCode)) throw new NotFoundException(`camera ${id} not found`);
    await this.directory.upsert(remote);
    const stored = await this.directory.findById(id, scope);
    if (!stored) throw new NotFoundException(`camera ${id} not found`);
    return { camera: stored, source: 'camera-registry' };
  }
}
