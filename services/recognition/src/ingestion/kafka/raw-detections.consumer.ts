import { EventPattern, Payload } from '@nestjs/microservices';
import { IngestionMethod, Topics, type recognition } from '@safecity/contracts';
import { EventConsumer, NonRetriableEventError, type ConsumedEvent } from '@safecity/messaging';
import { isRegionCode, type Principal } from '@safecity/security';
import { bodyLimitOf } from '../body-limits';
import type { IngestAdapter } from '../candidate';
import { IngestPayloadError } from '../ingest-problems';
import { PARSERS } from '../parsers';
import type { IngestUnit } from '../pipeline/detection-ingest.service';
import { IngestRawDetectionsUseCase } from '../use-cases/ingest-raw-detections/ingest-raw-detections.use-case';

const ADAPTER_OF_METHOD: Partial<Record<IngestionMethod, keyof typeof PARSERS>> = {
  [IngestionMethod.INGESTION_METHOD_CANONICAL_PUSH]: 'canonical',
  [IngestionMethod.INGESTION_METHOD_ONVIF_EVENTS]: 'onvif',
  [IngestionMethod.INGESTION_METHOD_HIKVISION_ISAPI]: 'hikvision',
  [IngestionMethod.INGESTION_METHOD_FRIGATE_MQTT]: 'frigate',
};

/**
 * Reads one raw record into detections for the pipeline. Throws `NonRetriableEventError` for a
 * record that can never be read, which sends it (alone) to the dead-letter topic. Detections that
 * carry a face template are refused and only counted: dead-lettering them would copy biometric
 * data into yet another topic, and faces come over HTTP, where templates go straight to memory.
 */
export function unitsOfRawRecord(raw: recognition.RawDetection | null | undefined): {
  units: IngestUnit[];
  templatesRefused: number;
} {
  if (!raw) throw new NonRetriableEventError('raw detection record without raw');
  if (!raw.videoSystemId || raw.videoSystemId.length > 200)
    throw new NonRetriableEventError('raw: videoSystemId is required');
  if (!isRegionCode(raw.regionCode))
    throw new NonRetriableEventError('raw: regionCode is not a known region');
  const adapter = ADAPTER_OF_METHOD[raw.ingestionMethod];
  const parse = adapter && PARSERS[adapter];
  if (!adapter || !parse)
    throw new NonRetriableEventError(`raw: no adapter for ingestion method ${raw.ingestionMethod}`);
  const limit = bodyLimitOf(adapter, raw.contentType);
  if (raw.payload.byteLength > limit) {
    throw new NonRetriableEventError(`raw: payload of ${raw.payload.byteLength} bytes is over ${limit}`);
  }
  try {
    // A view of the decoded bytes: the parsers only read them.
    const payload = Buffer.from(raw.payload.buffer, raw.payload.byteOffset, raw.payload.byteLength);
    const parsed = parse(payload, raw.contentType);
    const source = {
      videoSystemId: raw.videoSystemId,
      regionCode: raw.regionCode,
      adapter: (adapter === 'canonical' ? 'canonical-kafka' : adapter) as IngestAdapter,
    };
    const units = parsed.candidates
      .filter((candidate) => !candidate.face?.template)
      .map((candidate) => ({ source, candidate }));
    return { units, templatesRefused: parsed.candidates.length - units.length };
  } catch (error) {
    if (error instanceof IngestPayloadError)
      throw new NonRetriableEventError(`raw payload: ${error.message}`);
    throw error;
  }
}

/** The broker authenticated the producers (per-system ACLs): the topic speaks for them. */
const RAW_TOPIC: Principal = {
  kind: 'service',
  subject: Topics.DetectionsRaw,
  roles: ['service'],
  regions: 'all',
};

/**
 * `safecity.detections.raw.v1`, where high-volume video systems (and bridges) write vendor events
 * directly; access to the topic is granted per system by broker ACLs. A consumed batch is one
 * call of the use case, one transaction. A redelivered record yields the same detection ids, which the detections table
 * already holds, so nothing is stored, published or analysed twice.
 */
@EventConsumer()
export class RawDetectionsConsumer {
  constructor(private readonly ingestRawDetections: IngestRawDetectionsUseCase) {}

  @EventPattern(Topics.DetectionsRaw, { batch: true })
  async onRawDetections(@Payload() events: ConsumedEvent<recognition.RawDetectionReceived>[]) {
    const units: IngestUnit[] = [];
    let templatesRefused = 0;
    for (const event of events) {
      const read = unitsOfRawRecord(event.data.raw);
      units.push(...read.units);
      templatesRefused += read.templatesRefused;
    }
    await this.ingestRawDetections.execute({ actor: RAW_TOPIC, units, templatesRefused });
  }
}
