import { Controller, Get, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CameraDirectoryService } from './camera-directory.service';

@ApiTags('camera directory')
@Controller('camera-directory')
export class CameraDirectoryController {
  constructor(private readonly directory: CameraDirectoryService) {}

  /** The platform camera behind a vendor camera id, as detection ingestion resolves it. */
  @Get('resolve/:videoSystemId/:externalId')
  async resolve(
    @Param('videoSystemId', ParseUUIDPipe) videoSystemId: string,
    @Param('externalId') externalId: string,
  ) {
    const camera = await this.directory.resolveExternal(videoSystemId, externalId);
    if (!camera) throw new NotFoundException(`no camera ${externalId} in video system ${videoSystemId}`);
    return camera;
  }

  /** How recognition sees a camera, and whether it came from its local copy or camera-registry. */
  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.directory.get(id);
  }
}
