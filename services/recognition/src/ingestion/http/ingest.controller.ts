import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, VideoSystemAuth, type Principal } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../../recognition.policies';
import { IngestPayloadError } from '../ingest-problems';
import { PARSERS } from '../parsers';
import { DetectionIngestService, type IngestSummary } from '../pipeline/detection-ingest.service';
import { IngestDetectionsUseCase } from '../use-cases/ingest-detections/ingest-detections.use-case';
import { IngestBody, type IngestUpload } from './ingest-body';
import { ApiCanonicalDetectionsBody, ApiFrigateBody, ApiHikvisionBody, ApiOnvifBody } from './ingest-openapi';

/**
 * The vendor routes are named by the ingestion method of the video system (`onvif-events`,
 * `hikvision-isapi`, as the contract's IngestionMethod names them); the earlier paths stay as
 * aliases so that systems configured with them keep delivering.
 */
const EARLIER_PATH = (method: string) =>
  `The earlier path of \`POST /ingest/v1/${method}\`, still accepted for compatibility: the same ` +
  'body, authentication and answer. Configure new systems with the current path.';

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
  constructor(
    private readonly ingestDetections: IngestDetectionsUseCase,
    private readonly pipeline: DetectionIngestService,
  ) {}

  @Post('detections')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Canonical detections, one or a batch of up to 1,000',
    description:
      'JSON (`application/json`, at most 112 MiB): one detection or `{ "detections": [...] }`; a face\'s ' +
      '`template` is an array of numbers (base64 of little-endian float32 values is still read). Protobuf ' +
      '(`application/x-protobuf`, at most 36 MiB): a `DetectionSubmissionBatch`, or one `DetectionSubmission` ' +
      'with `; proto=safecity.recognition.v1.DetectionSubmission`. More than 1,000 detections: 413. The key ' +
      'is checked before the body is read (401 at once); a body that does not arrive in time: 408.',
  })
  @Operation(P.ingestDetections)
  @ApiCanonicalDetectionsBody()
  canonical(@IngestBody() body: IngestUpload, @CurrentPrincipal() caller: Principal) {
    return this.run('canonical', body, caller);
  }

  @Post('onvif-events')
  @HttpCode(200)
  @ApiOperation({
    summary: 'ONVIF WS-Notification Notify with tt:Message analytics events',
    description:
      'For video systems whose ingestion method is `onvif-events`. Line crossing, field (intrusion), ' +
      'loitering, abandoned and removed objects, count aggregation, licence plate and face recognition ' +
      'topics become detections; other topics are counted as ignored. At most 1 MiB. The camera is the ' +
      'Source item `VideoSourceConfigurationToken`.',
  })
  @Operation(P.ingestDetections)
  @ApiOnvifBody()
  onvifEvents(@IngestBody() body: IngestUpload, @CurrentPrincipal() caller: Principal) {
    return this.run('onvif', body, caller);
  }

  @Post('onvif')
  @HttpCode(200)
  @ApiOperation({
    summary: 'ONVIF analytics events (earlier path of POST /ingest/v1/onvif-events)',
    description: EARLIER_PATH('onvif-events'),
    deprecated: true,
  })
  @Operation(P.ingestDetections)
  @ApiOnvifBody()
  onvif(@IngestBody() body: IngestUpload, @CurrentPrincipal() caller: Principal) {
    return this.run('onvif', body, caller);
  }

  @Post('hikvision-isapi')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Hikvision ISAPI EventNotificationAlert, as XML or as a multipart upload with its pictures',
    description:
      'For video systems whose ingestion method is `hikvision-isapi`. ANPR, face capture and behaviour ' +
      'events (line crossing, intrusion, loitering, ...). XML at most 1 MiB, multipart at most 21 MiB. ' +
      "The camera is the alert's `channelID`. Pictures of a face detection are kept only if it matched " +
      'a watchlist.',
  })
  @Operation(P.ingestDetections)
  @ApiHikvisionBody()
  hikvisionIsapi(@IngestBody() body: IngestUpload, @CurrentPrincipal() caller: Principal) {
    return this.run('hikvision', body, caller);
  }

  @Post('hikvision')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Hikvision ISAPI alerts (earlier path of POST /ingest/v1/hikvision-isapi)',
    description: EARLIER_PATH('hikvision-isapi'),
    deprecated: true,
  })
  @Operation(P.ingestDetections)
  @ApiHikvisionBody()
  hikvision(@IngestBody() body: IngestUpload, @CurrentPrincipal() caller: Principal) {
    return this.run('hikvision', body, caller);
  }

  @Post('frigate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'A Frigate frigate/events message (new, update or end, with before and after)',
    description:
      'Every message about one Frigate event id updates the same detection. At most 256 KiB. The camera ' +
      'is `after.camera`.',
  })
  @Operation(P.ingestDetections)
  @ApiFrigateBody()
  frigate(@IngestBody() body: IngestUpload, @CurrentPrincipal() caller: Principal) {
    return this.run('frigate', body, caller);
  }

  /**
   * The adapter's parser reads the payload at the edge, refusing it whole with field and reason;
   * the batch is then one call of the use case.
   */
  protected async run(
    adapter: keyof typeof PARSERS,
    body: IngestUpload,
    caller: Principal,
  ): Promise<IngestSummary> {
    let parsed;
    try {
      parsed = PARSERS[adapter](body.bytes, body.contentType);
    } catch (error) {
      if (error instanceof IngestPayloadError) {
        this.pipeline.countRejected(adapter, regionOf(caller));
        throw error.toHttp();
      }
      throw error;
    }
    return this.ingestDetections.execute({
      actor: caller,
      adapter,
      candidates: parsed.candidates,
      ignored: parsed.ignored,
    });
  }
}

function regionOf(caller: Principal): string {
  return (Array.isArray(caller.regions) ? caller.regions[0] : undefined) ?? 'unknown';
}
