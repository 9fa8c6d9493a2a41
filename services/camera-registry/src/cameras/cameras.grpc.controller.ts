import { Controller } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { status } from '@grpc/grpc-js';
import {
  CameraRegistryControllerMethods,
  type BatchGetCamerasRequest,
  type BatchGetCamerasResponse,
  type CameraRegistryController,
  type GetCameraRequest,
  type GetCameraResponse,
  type ResolveExternalCameraRequest,
  type ResolveExternalCameraResponse,
} from '@safecity/contracts';
import { toCameraMessage } from './camera.mapper';
import { CamerasService } from './cameras.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_BATCH = 1_000;

function invalid(field: string, reason: string): RpcException {
  return new RpcException({ code: status.INVALID_ARGUMENT, message: `${field}: ${reason}` });
}

@Controller()
@CameraRegistryControllerMethods()
export class CamerasGrpcController implements CameraRegistryController {
  constructor(private readonly cameras: CamerasService) {}

  async getCamera(request: GetCameraRequest): Promise<GetCameraResponse> {
    if (!UUID.test(request.id ?? '')) throw invalid('id', 'must be a UUID');
    const camera = await this.cameras.get(request.id).catch(() => {
      throw new RpcException({ code: status.NOT_FOUND, message: `camera ${request.id} not found` });
    });
    return { camera: toCameraMessage(camera) };
  }

  async batchGetCameras(request: BatchGetCamerasRequest): Promise<BatchGetCamerasResponse> {
    const ids = [...new Set(request.ids ?? [])];
    if (ids.length > MAX_BATCH) throw invalid('ids', `at most ${MAX_BATCH} ids per call`);
    const bad = ids.find((id) => !UUID.test(id));
    if (bad !== undefined) throw invalid('ids', `${JSON.stringify(bad)} is not a UUID`);
    const found = await this.cameras.findByIds(ids);
    const foundIds = new Set(found.map((c) => c.id));
    return { cameras: found.map(toCameraMessage), missingIds: ids.filter((id) => !foundIds.has(id)) };
  }

  async resolveExternalCamera(request: ResolveExternalCameraRequest): Promise<ResolveExternalCameraResponse> {
    if (!UUID.test(request.videoSystemId ?? '')) throw invalid('video_system_id', 'must be a UUID');
    if (!request.externalId) throw invalid('external_id', 'is required');
    const camera = await this.cameras.resolveExternal(request.videoSystemId, request.externalId);
    if (!camera) {
      throw new RpcException({
        code: status.NOT_FOUND,
        message: `no camera ${request.externalId} in video system ${request.videoSystemId}`,
      });
    }
    return { camera };
  }
}
