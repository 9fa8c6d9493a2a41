import { Controller } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import {
  cameras as contract,
  CameraRegistryControllerMethods,
  type BatchGetCamerasRequest,
  type BatchGetCamerasResponse,
  type CameraRegistryController,
  type GetCameraRequest,
  type GetCameraResponse,
  type ResolveExternalCameraRequest,
  type ResolveExternalCameraResponse,
  isUuid,
} from '@safecity/contracts';
import { Operation, principalOf, RegionScope, isWellFormedRegionCode } from '@safecity/security';
import { CAMERA_REGISTRY_POLICIES as P } from '../camera-registry.policies';
import { invalidArgument, rethrowAsRpc } from '@safecity/service-kit';
import { toCameraMessage } from './camera.mapper';
import { OperationsCentersService } from '../operations-centers/operations-centers.service';
import {
  IngestionMethodNames,
  VideoSystemStatusNames,
  VideoSystemVendorNames,
} from '../video-systems/video-system.entity';
import { VideoSystemsService } from '../video-systems/video-systems.service';
import { CamerasService } from './cameras.service';
import { resolveAnswerOf } from './encoded-answers';

const MAX_BATCH = 1_000;

/** The caller's regions; the guard has authenticated every call before it gets here. */
function scopeOf(metadata: Metadata | undefined): RegionScope {
  const caller = metadata ? principalOf(metadata) : undefined;
  if (!caller) throw new RpcException({ code: status.UNAUTHENTICATED, message: 'no authenticated caller' });
  return RegionScope.of(caller);
}

@Controller()
@CameraRegistryControllerMethods()
export class CamerasGrpcController implements CameraRegistryController {
  constructor(
    private readonly cameras: CamerasService,
    private readonly operationsCenters: OperationsCentersService,
    private readonly videoSystems: VideoSystemsService,
  ) {}

  @Operation(P.getVideoSystem)
  async getVideoSystem(
    request: contract.GetVideoSystemRequest,
    metadata?: Metadata,
  ): Promise<contract.GetVideoSystemResponse> {
    if (!isUuid(request.id)) throw invalidArgument('id', 'must be a UUID');
    // Another region's system is answered exactly like a missing one (NOT_FOUND).
    const system = await this.videoSystems.get(request.id, scopeOf(metadata)).catch(rethrowAsRpc);
    return {
      videoSystem: {
        id: system.id,
        regionCode: system.regionCode,
        name: system.name,
        vendor: VideoSystemVendorNames.fromName(system.vendor) ?? 0,
        endpoint: system.endpoint ?? '',
        ingestionMethod: IngestionMethodNames.fromName(system.ingestionMethod) ?? 0,
        status: VideoSystemStatusNames.fromName(system.status) ?? 0,
      },
    };
  }

  @Operation(P.getCamera)
  async getCamera(request: GetCameraRequest, metadata?: Metadata): Promise<GetCameraResponse> {
    if (!isUuid(request.id)) throw invalidArgument('id', 'must be a UUID');
    // Only "no such camera" is NOT_FOUND; a database that cannot answer stays UNAVAILABLE.
    const camera = await this.cameras.get(request.id, scopeOf(metadata)).catch(rethrowAsRpc);
    return { camera: toCameraMessage(camera) };
  }

  @Operation(P.batchGetCameras)
  async batchGetCameras(
    request: BatchGetCamerasRequest,
    metadata?: Metadata,
  ): Promise<BatchGetCamerasResponse> {
    const ids = [...new Set(request.ids ?? [])];
    if (ids.length > MAX_BATCH) throw invalidArgument('ids', `at most ${MAX_BATCH} ids per call`);
    const bad = ids.find((id) => !isUuid(id));
    if (bad !== undefined) throw invalidArgument('ids', `${JSON.stringify(bad)} is not a UUID`);
    const found = await this.cameras.findByIds(ids, scopeOf(metadata));
    const foundIds = new Set(found.map((c) => c.id));
    return { cameras: found.map(toCameraMessage), missingIds: ids.filter((id) => !foundIds.has(id)) };
  }

  @Operation(P.resolveExternalCamera)
  async resolveExternalCamera(
    request: ResolveExternalCameraRequest,
    metadata?: Metadata,
  ): Promise<ResolveExternalCameraResponse> {
    if (!isUuid(request.videoSystemId)) throw invalidArgument('video_system_id', 'must be a UUID');
    if (!request.externalId) throw invalidArgument('external_id', 'is required');
    const camera = await this.cameras.resolveExternal(
      request.videoSystemId,
      request.externalId,
      scopeOf(metadata),
    );
    if (!camera) {
      throw new RpcException({
        code: status.NOT_FOUND,
        message: `no camera ${request.externalId} in video system ${request.videoSystemId}`,
      });
    }
    return resolveAnswerOf(camera);
  }

  @Operation(P.readOperationsCenters)
  async listOperationsCenters(
    request: contract.ListOperationsCentersRequest,
    metadata?: Metadata,
  ): Promise<contract.ListOperationsCentersResponse> {
    if (request.regionCode && !isWellFormedRegionCode(request.regionCode)) {
      throw invalidArgument('region_code', 'is not a region code');
    }
    const centers = await this.operationsCenters.list(scopeOf(metadata), request.regionCode || undefined);
    return {
      operationsCenters: centers.map((center) => ({
        id: center.id,
        name: center.name,
        regionCode: center.regionCode,
        districtCode: center.districtCode ?? '',
        coverage: {
          southWest: { lat: center.coverage.minLat, lon: center.coverage.minLon },
          northEast: { lat: center.coverage.maxLat, lon: center.coverage.maxLon },
        },
      })),
    };
  }
}
