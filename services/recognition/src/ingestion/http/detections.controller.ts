import {
  Controller,
  Get,
  Header,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  StreamableFile,
} from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { recognition, type ProtoJson } from '@safecity/contracts';
import { CurrentPrincipal, Operation, Purpose, RegionScope, type Principal } from '@safecity/security';
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
  async get(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ProtoJson<recognition.Detection>> {
    const detection = await this.detections.find(id, RegionScope.of(principal));
    if (!detection) throw new NotFoundException(`detection ${id} not found`);
    return recognition.Detection.toJSON(detection) as ProtoJson<recognition.Detection>;
  }

  /**
   * A picture from the local media store, for the regions the caller is scoped to; a face picture
   * (the evidence of a face match) only for those who may see face matches. Every read is audited.
   */
  @Get('media/:id')
  @ApiProduces('image/*')
  @Header('cache-control', 'private, no-store')
  @Operation(P.readMedia)
  async picture(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @Purpose('detection review') purpose: string,
  ) {
    const picture = await this.media.read(id, principal, purpose);
    if (!picture) throw new NotFoundException(`picture ${id} not found`);
    return new StreamableFile(picture.bytes, { type: picture.contentType, length: picture.bytes.length });
  }
}
