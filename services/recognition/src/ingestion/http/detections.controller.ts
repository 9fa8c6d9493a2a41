import {
  Controller,
  Get,
  Header,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  StreamableFile,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { recognition } from '@safecity/contracts';
import { CurrentPrincipal, Operation, RegionScope, type Principal } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../../recognition.policies';
import { MediaStore } from '../media/media-store';
import { DetectionsRepository } from '../pipeline/detections.repository';

@ApiTags('detections')
@ApiBearerAuth()
@Controller()
export class DetectionsController {
  constructor(
    private readonly detections: DetectionsRepository,
    private readonly media: MediaStore,
  ) {}

  /** A detection while it is kept (unmatched detections are short-lived); another region's is a 404. */
  @Get('detections/:id')
  @Operation(P.getDetection)
  async get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal) {
    const detection = await this.detections.find(id, RegionScope.of(principal));
    if (!detection) throw new NotFoundException(`detection ${id} not found`);
    return recognition.Detection.toJSON(detection);
  }

  /** A picture from the local media store, for the regions the caller is scoped to. */
  @Get('media/:id')
  @Header('cache-control', 'private, no-store')
  @Operation(P.readMedia)
  async picture(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal) {
    const picture = await this.media.read(id, RegionScope.of(principal));
    if (!picture) throw new NotFoundException(`picture ${id} not found`);
    return new StreamableFile(picture.bytes, { type: picture.contentType, length: picture.bytes.length });
  }
}
