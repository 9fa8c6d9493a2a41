import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import { status } from '@grpc/grpc-js';
import { ServiceCredentials } from '@safecity/security';
import { isDependencyUnavailable } from '@safecity/service-kit';
import {
  CAMERA_REGISTRY_SERVICE_NAME,
  type Camera,
  type CameraRegistryClient,
  type VideoSystem,
} from '@safecity/contracts';
import { firstValueFrom, timeout } from 'rxjs';

export const CAMERA_REGISTRY_GRPC = Symbol('CAMERA_REGISTRY_GRPC');
const DEADLINE_MS = 2_000;
/** Calls while camera-registry answers UNAVAILABLE (or not in time), and the waits between them. */
const ATTEMPTS = 3;
const BACKOFF_MS = [100, 400];

/** camera-registry over gRPC: the source of truth when the local directory does not know a camera. */
@Injectable()
export class CameraRegistryGateway implements OnModuleInit {
  private client!: CameraRegistryClient;

  constructor(
    @Inject(CAMERA_REGISTRY_GRPC) private readonly grpc: ClientGrpc,
    private readonly credentials: ServiceCredentials,
  ) {}

  onModuleInit() {
    this.client = this.grpc.getService<CameraRegistryClient>(CAMERA_REGISTRY_SERVICE_NAME);
  }

  /**
   * The platform camera behind a vendor's camera id, or null when camera-registry answers that
   * there is none (NOT_FOUND). Anything else, after retries of UNAVAILABLE, is thrown: an outage
   * says nothing about the camera.
   */
  async resolveExternalCamera(videoSystemId: string, externalId: string): Promise<Camera | null> {
    return this.call(async () => {
      const response = await firstValueFrom(
        this.client
          .resolveExternalCamera({ videoSystemId, externalId }, await this.credentials.asService())
          .pipe(timeout(DEADLINE_MS)),
      );
      return response.camera ?? null;
    });
  }

  /** The camera, or null when camera-registry answers NOT_FOUND; other failures are thrown. */
  async getCamera(id: string): Promise<Camera | null> {
    return this.call(async () => {
      const response = await firstValueFrom(
        this.client.getCamera({ id }, await this.credentials.asService()).pipe(timeout(DEADLINE_MS)),
      );
      return response.camera ?? null;
    });
  }

  /** The video system (any region), or null when camera-registry answers NOT_FOUND. */
  async getVideoSystem(id: string): Promise<VideoSystem | null> {
    return this.call(async () => {
      const response = await firstValueFrom(
        this.client.getVideoSystem({ id }, await this.credentials.asService()).pipe(timeout(DEADLINE_MS)),
      );
      return response.videoSystem ?? null;
    });
  }

  /** `invoke`'s answer; null for NOT_FOUND; UNAVAILABLE (or no answer in time) retried, then thrown. */
  private async call<T>(invoke: () => Promise<T | null>): Promise<T | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await invoke();
      } catch (error) {
        if ((error as { code?: number }).code === status.NOT_FOUND) return null;
        if (attempt >= ATTEMPTS || !isDependencyUnavailable(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, BACKOFF_MS[attempt - 1]));
      }
    }
  }
}
