import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import { CAMERA_REGISTRY_SERVICE_NAME, type CameraRegistryClient } from '@safecity/contracts';
import { ServiceCredentials } from '@safecity/security';
import { firstValueFrom, timeout } from 'rxjs';
import { OperationsCenterDirectory } from './operations-center.directory';

export const CAMERA_REGISTRY_GRPC = Symbol('CAMERA_REGISTRY_GRPC');
const DEADLINE_MS = 5_000;

/**
 * Keeps the operations-center directory in step with camera-registry, which owns the centers:
 * loaded at startup and refreshed periodically over gRPC. A failed refresh keeps the last list;
 * without camera-registry configured, incidents are simply not routed to a center.
 */
@Injectable()
export class OperationsCenterSync implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('incidents:operations-centers');
  private timer: NodeJS.Timeout | null = null;
  private client: CameraRegistryClient | null = null;

  refreshIntervalMs = 5 * 60_000;

  constructor(
    private readonly directory: OperationsCenterDirectory,
    private readonly credentials: ServiceCredentials,
    @Optional() @Inject(CAMERA_REGISTRY_GRPC) private readonly grpc?: ClientGrpc,
  ) {}

  onApplicationBootstrap() {
    if (!this.grpc) return;
    this.client = this.grpc.getService<CameraRegistryClient>(CAMERA_REGISTRY_SERVICE_NAME);
    void this.refresh().catch((error) =>
      this.logger.warn({ msg: 'operations centers not loaded', error: String(error) }),
    );
    this.timer = setInterval(
      () =>
        void this.refresh().catch((error) =>
          this.logger.warn({ msg: 'refresh failed', error: String(error) }),
        ),
      this.refreshIntervalMs,
    );
    this.timer.unref();
  }

  onModuleDestroy() {
    if (this.timer) clearInterval(this.timer);
  }

  async refresh(): Promise<number> {
    if (!this.client) return 0;
    const response = await firstValueFrom(
      this.client
        .listOperationsCenters({ regionCode: '' }, await this.credentials.asService())
        .pipe(timeout(DEADLINE_MS)),
    );
    this.directory.replace(
      response.operationsCenters.map((center) => ({
        id: center.id,
        name: center.name,
        regionCode: center.regionCode,
        districtCode: center.districtCode || null,
        coverage: {
          minLon: center.coverage?.southWest?.lon ?? 0,
          minLat: center.coverage?.southWest?.lat ?? 0,
          maxLon: center.coverage?.northEast?.lon ?? 0,
          maxLat: center.coverage?.northEast?.lat ?? 0,
        },
      })),
    );
    return response.operationsCenters.length;
  }
}
