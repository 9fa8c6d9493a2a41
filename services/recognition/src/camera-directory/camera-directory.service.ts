import { Injectable } from '@nestjs/common';
import { RegionScope } from '@safecity/security';
import { CameraDirectoryRepository, type DirectoryCamera } from './camera-directory.repository';
import { CameraRegistryGateway } from './camera-registry.client';

/** Vendor camera ids resolved recently; entries leave when a change for the camera is applied. */
const RESOLVED_MAX = 100_000;

/**
 * The camera behind each vendor camera id, as every detection needs it, remembered in memory;
 * the operations on the directory are its use cases (`use-cases/`).
 */
@Injectable()
export class CameraDirectoryService {
  private readonly resolved = new Map<string, DirectoryCamera>();

  constructor(
    private readonly directory: CameraDirectoryRepository,
    private readonly registry: CameraRegistryGateway,
  ) {}

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

  /** After a change of the camera: the next detection asks the directory again. */
  forget(videoSystemId: string, externalId: string) {
    this.resolved.delete(`${videoSystemId}/${externalId}`);
  }
}
