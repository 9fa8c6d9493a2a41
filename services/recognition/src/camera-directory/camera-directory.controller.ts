import {
  Controller,
  Get,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  ServiceUnavailableException,
} from '@nestjs/common';
import { isDependencyUnavailable } from '@safecity/service-kit';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, RegionScope, type Principal } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../recognition.policies';
import { CameraDirectoryService } from './camera-directory.service';

@ApiTags('camera directory')
@ApiBearerAuth()
@Controller('camera-directory')
export class CameraDirectoryController {
  constructor(private readonly directory: CameraDirectoryService) {}

  /** The platform camera behind a vendor camera id, as detection ingestion resolves it. */
  @Get('resolve/:videoSystemId/:externalId')
  @Operation(P.readCameraDirectory)
  async resolve(
    @Param('videoSystemId', ParseUUIDPipe) videoSystemId: string,
    @Param('externalId') externalId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    const camera = await this.directory.resolveExternal(videoSystemId, externalId).catch(outage);
    // Another region's camera is answered exactly like a missing one.
    if (!camera || !RegionScope.of(principal).includes(camera.regionCode)) {
      throw new NotFoundException(`no camera ${externalId} in video system ${videoSystemId}`);
    }
    return camera;
  }

  /** How recognition sees a camera, and whether it came from its local copy or camera-registry. */
  @Get(':id')
  @Operation(P.readCameraDirectory)
  async get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal) {
    return this.directory.get(id, RegionScope.of(principal)).catch(outage);
  }
}

/** camera-registry or the database cannot answer: 503, never "no such camera". */
function outage(error: unknown): never {
  if (isDependencyUnavailable(error)) {
    throw new ServiceUnavailableException({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'cameras cannot be looked up now; retry later',
    });
  }
  throw error;
}
