import { EventPattern, Payload } from '@nestjs/microservices';
import { IngestionMethod, Topics, type recognition } from '@safecity/contracts';
import { EventConsumer, NonRetriableEventError, type ConsumedEvent } from '@safecity/messaging';
import { isRegionCode } from '@safecity/security';
import type { IngestAdapter } from '../candidate';
import { IngestPayloadError } from '../ingest-problems';
import { PARSERS } from '../parsers';
import { DetectionIngestService, type IngestUnit } from '../pipeline/detection-ingest.service';

const ADAPTER_OF_METHOD: Partial<Record<IngestionMethod, keyof typeof PARSERS>> = {
  [IngestionMethod.INGESTION_METHOD_CANONICAL_PUSH]: 'canonical',
  [IngestionMethod.INGESTION_METHOD_ONVIF_EVENTS]: 'onvif',
  [IngestionMethod.INGESTION_METHOD_HIKVISION_ISAPI]: 'hikvision',
  [IngestionMethod.INGESTION_METHOD_FRIGATE_MQTT]: 'frigate',
};

/**
 * Reads one raw record into detections for the pipeline. Throws `NonRetriableEventError` for a
 * record that can never be read, which sends it (alone) to the dead-letter topic.
 */
export function unitsOfRawRecord(raw: recognition.RawDetection | null | undefined): IngestUnit[] {
  if (!raw) throw new NonRetriableEventError('raw detection record without raw');
  if (!raw.videoSystemId || raw.videoSystemId.length > 200)
    throw new NonRetriableEventError('raw: videoSystemId is required');
  if (!isRegionCode(raw.regionCode))
    throw new NonRetriableEventError('raw: regionCode is not a known region');
  const adapter = ADAPTER_OF_METHOD[raw.ingestionMethod];
  const parse = adapter && PARSERS[adapter];
  if (!adapter || !parse)
    throw new NonRetriableEventError(`raw: no adapter for ingestion method ${raw.ingestionMethod}`);
  try {
    const parsed = parse(Buffer.from(raw.payload), raw.contentType);
    // Face templates are biometric data and never travel through Kafka; faces come over HTTP.
    if (parsed.candidates.some((c) => c.face?.template)) {
      throw new NonRetriableEventError('raw: face templates are not accepted on the bus');
    }
    const source = {
      videoSystemId: raw.videoSystemId,
      regionCode: raw.regionCode,
      adapter: (adapter === 'canonical' ? 'canonical-kafka' : adapter) as IngestAdapter,
    };
    return parsed.candidates.map((candidate) => ({ source, candidate }));
  } catch (error) {
    if (error instanceof IngestPayloadError)
      throw new NonRetriableEventError(`raw payload: ${error.message}`);
    throw error;
  }
}

/**
 * `safecity.detections.raw.v1`, where high-volume video systems (and bridges) write vendor events
 * directly; access to the topic is granted per system by broker ACLs. A consumed batch is one
 * transaction. A redelivered record yields the same detection ids, which the detections table
 * already holds, so nothing is stored, published or analysed twice.
 */
@EventConsumer()
export class RawDetectionsConsumer {
  constructor(private readonly pipeline: DetectionIngestService) {}

  @EventPattern(Topics.DetectionsRaw, { batch: true })
  async onRawDetections(@Payload() events: ConsumedEvent<recognition.RawDetectionReceived>[]) {
    const units: IngestUnit[] = [];
    for (const event of events) units.push(...unitsOfRawRecord(event.data.raw));
    if (units.length) await this.pipeline.ingestUnits(units);
  }
}
