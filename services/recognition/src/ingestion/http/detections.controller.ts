import { Controller, Get, Header, Param, ParseUUIDPipe, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { recognition, type ProtoJson } from '@safecity/contracts';
import { CurrentPrincipal, Operation, Purpose, type Principal } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../../recognition.policies';
import { GetDetectionUseCase } from '../use-cases/get-detection/get-detection.use-case';
import { ReadMediaUseCase } from '../use-cases/read-media/read-media.use-case';

@ApiTags('detections')
@ApiBearerAuth()
@Controller()
export class DetectionsController {
  constructor(
    private readonly getDetection: GetDetectionUseCase,
    private readonly readMedia: ReadMediaUseCase,
  ) {}

  /** A detection while it is kept (unmatched detections are short-lived); another region's is a 404. */
  @Get('detections/:id')
  @Operation(P.getDetection)
  async get(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ProtoJson<recognition.Detection>> {
    const detection = await this.getDetection.execute({ actor: principal, id });
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
    const picture = await this.readMedia.execute({ actor: principal, id, purpose });
    return new StreamableFile(picture.bytes, { type: picture.contentType, length: picture.bytes.length });
  }
}
