import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, isWellFormedRegionCode, type Principal } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../../recognition.policies';
import { CANONICAL_JSON_BOUNDS, parseCanonicalValue } from '../canonical/canonical-json.parser';
import { checkJsonBounds } from '../json-bounds';
import { IngestPayloadError } from '../ingest-problems';
import { DetectionIngestService } from '../pipeline/detection-ingest.service';
import { IngestPlatformAnalyticsUseCase } from '../use-cases/ingest-platform-analytics/ingest-platform-analytics.use-case';
import { IngestBody, type IngestUpload } from './ingest-body';
import { ApiPlatformAnalyticsBody } from './ingest-openapi';
import { isUuid } from '@safecity/contracts';

/**
 * Where the platform's own analytics (video-analytics) deliver what they saw on cameras without
 * analytics of their own: canonical detections on behalf of the camera's video system, with face
 * templates that, like every template, go only to the short-lived template store. A platform
 * service authenticates with its service token; vendors use the ingest routes with their keys.
 */
@ApiTags('ingestion')
@ApiBearerAuth()
@Controller('ingest/v1')
export class PlatformAnalyticsController {
  constructor(
    private readonly ingestPlatformAnalytics: IngestPlatformAnalyticsUseCase,
    private readonly pipeline: DetectionIngestService,
  ) {}

  @Post('platform-analytics')
  @Operation(P.ingestPlatformAnalytics)
  @ApiPlatformAnalyticsBody()
  @HttpCode(200)
  @ApiOperation({
    summary: "Canonical detections from the platform's own analytics, for one video system",
    description: '`{ "videoSystemId", "regionCode", "detections": [canonical JSON detections] }`',
  })
  async ingest(@IngestBody() body: IngestUpload, @CurrentPrincipal() actor: Principal) {
    let videoSystemId: string;
    let regionCode: string;
    let parsed;
    try {
      const value = readEnvelope(body.bytes);
      videoSystemId = value.videoSystemId;
      regionCode = value.regionCode;
      parsed = parseCanonicalValue({ detections: value.detections });
    } catch (error) {
      if (error instanceof IngestPayloadError) {
        this.pipeline.countRejected('canonical', 'unknown');
        throw error.toHttp();
      }
      throw error;
    }
    return this.ingestPlatformAnalytics.execute({
      actor,
      videoSystemId,
      regionCode,
      candidates: parsed.candidates,
    });
  }
}

function readEnvelope(bytes: Buffer): { videoSystemId: string; regionCode: string; detections: unknown } {
  // Bounded before it is parsed, as every canonical JSON body (memory follows size, not shape).
  checkJsonBounds(bytes, CANONICAL_JSON_BOUNDS);
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw IngestPayloadError.of('body', 'is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw IngestPayloadError.of('body', 'must be an object');
  }
  const o = body as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !['videoSystemId', 'regionCode', 'detections'].includes(k));
  if (unknown.length > 0) throw IngestPayloadError.of(unknown[0], 'is not a known field');
  if (!isUuid(o['videoSystemId'])) {
    throw IngestPayloadError.of('videoSystemId', 'must be a UUID');
  }
  if (!isWellFormedRegionCode(o['regionCode'])) {
    throw IngestPayloadError.of('regionCode', 'must be a region code');
  }
  return { videoSystemId: o['videoSystemId'], regionCode: o['regionCode'], detections: o['detections'] };
}
