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
import { Operation, principalOf, isWellFormedRegionCode, type Principal } from '@safecity/security';
import { invalidArgument } from '@safecity/service-kit';
import { CAMERA_REGISTRY_POLICIES as P } from '../camera-registry.policies';
import { ListOperationsCentersUseCase } from '../operations-centers/use-cases';
import { GetVideoSystemUseCase } from '../video-systems/use-cases';
import {
  IngestionMethodNames,
  VideoSystemStatusNames,
  VideoSystemVendorNames,
} from '../video-systems/video-system.entity';
import { toCameraMessage } from './camera.mapper';
import { resolveAnswerOf } from './encoded-answers';
import { BatchGetCamerasUseCase, GetCameraUseCase, ResolveExternalCameraUseCase } from './use-cases';

/** The caller; the guard has authenticated every call before it gets here. */
function callerOf(metadata: Metadata | undefined): Principal {
  const caller = metadata ? principalOf(metadata) : undefined;
  if (!caller) throw new RpcException({ code: status.UNAUTHENTICATED, message: 'no authenticated caller' });
  return caller;
}

/**
 * The gRPC adapter of camera-registry: each method checks the request's shape, runs its use case
 * and answers in the contract's messages. Domain errors leave through the service's gRPC filter
 * (another region's object is NOT_FOUND, exactly like a missing one).
 */
@Controller()
@CameraRegistryControllerMethods()
export class CamerasGrpcController implements CameraRegistryController {
  constructor(
    private readonly getCameraUseCase: GetCameraUseCase,
    private readonly batchGetCamerasUseCase: BatchGetCamerasUseCase,
    private readonly resolveExternalCameraUseCase: ResolveExternalCameraUseCase,
    private readonly listOperationsCentersUseCase: ListOperationsCentersUseCase,
    private readonly getVideoSystemUseCase: GetVideoSystemUseCase,
  ) {}

  @Operation(P.getVideoSystem)
  async getVideoSystem(
    request: contract.GetVideoSystemRequest,
    metadata?: Metadata,
  ): Promise<contract.GetVideoSystemResponse> {
    if (!isUuid(request.id)) throw invalidArgument('id', 'must be a UUID');
    const system = await this.getVideoSystemUseCase.execute({ actor: callerOf(metadata), id: request.id });
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
    const camera = await this.getCameraUseCase.execute({ actor: callerOf(metadata), id: request.id });
    return { camera: toCameraMessage(camera) };
  }

  @Operation(P.batchGetCameras)
  async batchGetCameras(
    request: BatchGetCamerasRequest,
    metadata?: Metadata,
  ): Promise<BatchGetCamerasResponse> {
    const found = await this.batchGetCamerasUseCase.execute({
      actor: callerOf(metadata),
      ids: request.ids ?? [],
    });
    return { cameras: found.cameras.map(toCameraMessage), missingIds: found.missingIds };
  }

  @Operation(P.resolveExternalCamera)
  async resolveExternalCamera(
    request: ResolveExternalCameraRequest,
    metadata?: Metadata,
  ): Promise<ResolveExternalCameraResponse> {
    if (!isUuid(request.videoSystemId)) throw invalidArgument('video_system_id', 'must be a UUID');
    if (!request.externalId) throw invalidArgument('external_id', 'is required');
    const camera = await this.resolveExternalCameraUseCase.execute({
      actor: callerOf(metadata),
      videoSystemId: request.videoSystemId,
      externalId: request.externalId,
    });
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
    const centers = await this.listOperationsCentersUseCase.execute({
      actor: callerOf(metadata),
      regionCode: request.regionCode || undefined,
    });
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
