import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, type Principal } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../recognition.policies';
import { GetDirectoryCameraUseCase, ResolveDirectoryCameraUseCase } from './use-cases';

@ApiTags('camera directory')
@ApiBearerAuth()
@Controller('camera-directory')
export class CameraDirectoryController {
  constructor(
    private readonly resolveDirectoryCamera: ResolveDirectoryCameraUseCase,
    private readonly getDirectoryCamera: GetDirectoryCameraUseCase,
  ) {}

  /** The platform camera behind a vendor camera id, as detection ingestion resolves it. */
  @Get('resolve/:videoSystemId/:externalId')
  @Operation(P.readCameraDirectory)
  resolve(
    @Param('videoSystemId', ParseUUIDPipe) videoSystemId: string,
    @Param('externalId') externalId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.resolveDirectoryCamera.execute({ actor: principal, videoSystemId, externalId });
  }

  /** How recognition sees a camera, and whether it came from its local copy or camera-registry. */
  @Get(':id')
  @Operation(P.readCameraDirectory)
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal) {
    return this.getDirectoryCamera.execute({ actor: principal, id });
  }
}
