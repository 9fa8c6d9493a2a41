import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import { status } from '@grpc/grpc-js';
import { ServiceCredentials } from '@safecity/security';
import { CAMERA_REGISTRY_SERVICE_NAME, type Camera, type CameraRegistryClient } from '@safecity/contracts';
import { firstValueFrom, timeout } from 'rxjs';

export const CAMERA_REGISTRY_GRPC = Symbol('CAMERA_REGISTRY_GRPC');
const DEADLINE_MS = 2_000;

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

  /** The platform camera behind a vendor's camera id, or null when there is none. */
  async resolveExternalCamera(videoSystemId: string, externalId: string): Promise<Camera | null> {
    try {
      const response = await firstValueFrom(
        this.client
          .resolveExternalCamera({ videoSystemId, externalId }, await this.credentials.asService())
          .pipe(timeout(DEADLINE_MS)),
      );
      return response.camera ?? null;
    } catch (error) {
      if ((error as { code?: number }).code === status.NOT_FOUND) return null;
      throw error;
    }
  }

  /** The camera, or null when camera-registry does not know it. */
  async getCamera(id: string): Promise<Camera | null> {
    try {
      const response = await firstValueFrom(
        this.client.getCamera({ id }, await this.credentials.asService()).pipe(timeout(DEADLINE_MS)),
      );
      return response.camera ?? null;
    } catch (error) {
      if ((error as { code?: number }).code === status.NOT_FOUND) return null;
      throw error;
    }
  }
}
