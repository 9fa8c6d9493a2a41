import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CameraDirectoryService } from './camera-directory.service';

@ApiTags('camera directory')
@Controller('camera-directory')
export class CameraDirectoryController {
  constructor(private readonly directory: CameraDirectoryService) {}

  /** How recognition sees a camera, and whether it came from its local copy or camera-registry. */
  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.directory.get(id);
  }
}
