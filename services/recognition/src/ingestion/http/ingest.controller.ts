import { Controller, HttpCode, Post, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, VideoSystemAuth, type Principal } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../../recognition.policies';
import type { IngestAdapter } from '../candidate';
import { IngestPayloadError } from '../ingest-problems';
import { PARSERS } from '../parsers';
import {
  CameraDirectoryUnavailableError,
  DetectionIngestService,
  type IngestSummary,
} from '../pipeline/detection-ingest.service';
import { IngestBody, type IngestUpload } from './ingest-body';

/**
 * Where video systems push their analytics, authenticated by the system's API key. Every route
 * answers what became of each detection (accepted, updated, duplicate, dropped with its reason);
 * a payload the adapter cannot read is refused whole with 4xx, field and reason.
 */
@ApiTags('ingestion')
@ApiSecurity('api-key')
@VideoSystemAuth()
@Controller('ingest/v1')
export class IngestController {
  constructor(private readonly pipeline: DetectionIngestService) {}

  @Post('detections')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Canonical detections, one or a batch of up to 1,000',
    description:
      'JSON (`application/json`): one detection or `{ "detections": [...] }`. Protobuf ' +
      '(`application/x-protobuf`): a `DetectionSubmissionBatch`, or one `DetectionSubmission` with ' +
      '`; proto=safecity.recognition.v1.DetectionSubmission`.',
  })
  @Operation(P.ingestDetections)
  canonical(@IngestBody() body: IngestUpload, @CurrentPrincipal() caller: Principal) {
    return this.run('canonical', body, caller);
  }

  @Post('onvif')
  @HttpCode(200)
  @ApiOperation({
    summary: 'ONVIF WS-Notification Notify with tt:Message analytics events',
    description:
      'Line crossing, field (intrusion), loitering, abandoned and removed objects, count aggregation, ' +
      'licence plate and face recognition topics become detections; other topics are counted as ignored.',
  })
  @Operation(P.ingestDetections)
  onvif(@IngestBody() body: IngestUpload, @CurrentPrincipal() caller: Principal) {
    return this.run('onvif', body, caller);
  }

  @Post('hikvision')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Hikvision ISAPI EventNotificationAlert, as XML or as a multipart upload with its pictures',
    description: 'ANPR, face capture and behaviour events (line crossing, intrusion, loitering, ...).',
  })
  @Operation(P.ingestDetections)
  hikvision(@IngestBody() body: IngestUpload, @CurrentPrincipal() caller: Principal) {
    return this.run('hikvision', body, caller);
  }

  @Post('frigate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'A Frigate frigate/events message (new, update or end, with before and after)',
    description: 'Every message about one Frigate event id updates the same detection.',
  })
  @Operation(P.ingestDetections)
  frigate(@IngestBody() body: IngestUpload, @CurrentPrincipal() caller: Principal) {
    return this.run('frigate', body, caller);
  }

  protected async run(
    adapter: keyof typeof PARSERS,
    body: IngestUpload,
    caller: Principal,
  ): Promise<IngestSummary> {
    const source = sourceOf(adapter, caller);
    const parse = PARSERS[adapter as keyof typeof PARSERS];
    let parsed;
    try {
      parsed = parse(body.bytes, body.contentType);
    } catch (error) {
      if (error instanceof IngestPayloadError) {
        this.pipeline.countRejected(adapter, source.regionCode);
        throw error.toHttp();
      }
      throw error;
    }
    try {
      return await this.pipeline.ingest(source, parsed.candidates, parsed.ignored);
    } catch (error) {
      // Nothing was stored: the system resends, and dedupe makes the resend safe.
      if (error instanceof CameraDirectoryUnavailableError) {
        throw new ServiceUnavailableException({
          statusCode: 503,
          error: 'Service Unavailable',
          message: error.message,
        });
      }
      throw error;
    }
  }
}

export function sourceOf(adapter: IngestAdapter, caller: Principal) {
  const region = Array.isArray(caller.regions) ? caller.regions[0] : undefined;
  if (caller.kind !== 'video-system' || !region)
    throw new Error('ingest routes need a video-system principal');
  return { videoSystemId: caller.subject, regionCode: region, adapter };
}
