import fc from 'fast-check';
import { recognition } from '@safecity/contracts';
import { fixture, hikvisionMultipart, jpeg } from '../../test/fixtures';
import type { DetectionCandidate } from './candidate';
import { IngestPayloadError } from './ingest-problems';
import { unitsOfRawRecord } from './kafka/raw-detections.consumer';
import { PARSERS, type PayloadParser } from './parsers';

/** Every adapter's parser, each with the sample payloads it must read and its content type. */
const ADAPTERS: { name: string; parse: PayloadParser; contentType: string; samples: Buffer[] }[] = [
  {
    name: 'canonical JSON',
    parse: PARSERS.canonical,
    contentType: 'application/json',
    samples: [fixture('canonical-plate.json'), fixture('canonical-batch.json')],
  },
  {
    name: 'canonical protobuf',
    parse: PARSERS.canonical,
    contentType: 'application/x-protobuf',
    samples: [
      Buffer.from(
        recognition.DetectionSubmissionBatch.encode({
          detections: [
            {
              vendorEventId: 'e1',
              cameraExternalId: 'c1',
              observedAt: new Date('2026-06-01T00:00:00Z'),
              kind: recognition.DetectionKind.DETECTION_KIND_PLATE,
              frameBox: null,
              media: [],
              plate: { text: 'A1', country: 'KZ', confidence: 0.5, vehicle: null, direction: 0 },
            },
          ],
        }).finish(),
      ),
    ],
  },
  {
    name: 'ONVIF',
    parse: PARSERS.onvif,
    contentType: 'application/soap+xml',
    samples: [fixture('onvif-line-crossed.xml'), fixture('onvif-notify-analytics.xml')],
  },
  {
    name: 'Hikvision XML',
    parse: PARSERS.hikvision,
    contentType: 'application/xml',
    samples: ['hikvision-anpr.xml', 'hikvision-linedetection.xml', 'hikvision-facecapture.xml'].map(fixture),
  },
  {
    name: 'Hikvision multipart',
    parse: PARSERS.hikvision,
    contentType: 'multipart/form-data; boundary=MIME_boundary',
    samples: [
      hikvisionMultipart(fixture('hikvision-anpr.xml'), [{ name: 'licensePlatePicture', bytes: jpeg('p') }])
        .body,
    ],
  },
  {
    name: 'Frigate',
    parse: PARSERS.frigate,
    contentType: 'application/json',
    samples: ['frigate-new.json', 'frigate-update.json', 'frigate-end.json', 'frigate-person-zone.json'].map(
      fixture,
    ),
  },
];

const KINDS = new Set([1, 2, 3]);
const OBSERVATION = { 1: 'plate', 2: 'face', 3: 'behaviour' } as const;

function assertWellFormed(c: DetectionCandidate) {
  expect(
    typeof c.vendorEventId === 'string' && c.vendorEventId.length > 0 && c.vendorEventId.length <= 200,
  ).toBe(true);
  expect(
    typeof c.cameraExternalId === 'string' &&
      c.cameraExternalId.length > 0 &&
      c.cameraExternalId.length <= 200,
  ).toBe(true);
  expect(c.observedAt instanceof Date && Number.isFinite(c.observedAt.getTime())).toBe(true);
  expect(KINDS.has(c.kind)).toBe(true);
  const present = (['plate', 'face', 'behaviour'] as const).filter((k) => c[k]);
  expect(present).toEqual([OBSERVATION[c.kind as 1 | 2 | 3]]);
  if (c.plate) expect(c.plate.text).toMatch(/^[\p{L}\p{N}]{1,20}$/u);
  if (c.face?.template) expect(c.face.template.vector.every(Number.isFinite)).toBe(true);
}

/** The contract of a parser: candidates that are well-formed, or an IngestPayloadError with a 4xx. */
function check(parse: PayloadParser, bytes: Buffer, contentType: string) {
  let result;
  try {
    result = parse(bytes, contentType);
  } catch (error) {
    if (!(error instanceof IngestPayloadError)) throw error;
    expect(error.status).toBeGreaterThanOrEqual(400);
    expect(error.status).toBeLessThan(500);
    expect(error.problems.length).toBeGreaterThan(0);
    for (const p of error.problems)
      expect(typeof p.field === 'string' && typeof p.reason === 'string').toBe(true);
    return;
  }
  result.candidates.forEach(assertWellFormed);
}

const RUNS = { numRuns: 150 };

describe.each(ADAPTERS)('$name parser under bad input', ({ parse, contentType, samples }) => {
  it('reads its samples', () => {
    for (const sample of samples) expect(parse(sample, contentType).candidates.length).toBeGreaterThan(0);
  });

  it('never fails other than with a 4xx on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) =>
        check(parse, Buffer.from(bytes), contentType),
      ),
      RUNS,
    );
  });

  it('never fails other than with a 4xx on truncated samples', () => {
    fc.assert(
      fc.property(fc.constantFrom(...samples), fc.nat(), (sample, cut) =>
        check(parse, sample.subarray(0, cut % sample.length), contentType),
      ),
      RUNS,
    );
  });

  it('never fails other than with a 4xx on mutated samples', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...samples),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        (sample, edits) => {
          const bytes = Buffer.from(sample);
          for (const [at, value] of edits) bytes[at % bytes.length] = value;
          check(parse, bytes, contentType);
        },
      ),
      RUNS,
    );
  });

  it('refuses oversized payloads with a 4xx', () => {
    const sample = samples[0]!;
    const text = sample.toString('latin1');
    // Padding inside the document, where a parser that reads all of it would see it.
    const huge = Buffer.from(
      text.replace(/(<\/[^>]+>\s*)$|(\}\s*)$/, (m) => ' '.repeat(3 * 1024 * 1024) + m),
      'latin1',
    );
    check(parse, huge, contentType);
  });
});

describe('JSON parsers under wrong types', () => {
  const jsonAdapters = ADAPTERS.filter((a) => a.contentType === 'application/json');

  /** Replaces one value somewhere in the document with an arbitrary JSON value. */
  function replaceAt(doc: unknown, path: number[], value: unknown): unknown {
    if (path.length === 0 || doc === null || typeof doc !== 'object') return value;
    const entries = Object.entries(doc as Record<string, unknown>);
    if (entries.length === 0) return value;
    const [key, child] = entries[path[0]! % entries.length]!;
    const copy: Record<string, unknown> | unknown[] = Array.isArray(doc) ? [...doc] : { ...(doc as object) };
    (copy as Record<string, unknown>)[key] = replaceAt(child, path.slice(1), value);
    return copy;
  }

  it.each(jsonAdapters)('$name: any field of any type', ({ parse, contentType, samples }) => {
    fc.assert(
      fc.property(
        fc.constantFrom(...samples),
        fc.array(fc.nat(), { maxLength: 5 }),
        fc.jsonValue({ maxDepth: 3 }),
        (sample, path, value) => {
          const doc = replaceAt(JSON.parse(sample.toString()), path, value);
          check(parse, Buffer.from(JSON.stringify(doc) ?? 'null'), contentType);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('XML parsers against entity expansion', () => {
  const laughs = (root: string) =>
    Buffer.from(`<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<${root}><eventType>&lol9;</eventType><channelID>&xxe;</channelID></${root}>`);

  it.each([
    ['ONVIF', PARSERS.onvif, 'Envelope'],
    ['Hikvision', PARSERS.hikvision, 'EventNotificationAlert'],
  ] as const)('%s refuses a billion laughs without expanding it', (_name, parse, root) => {
    const started = process.hrtime.bigint();
    expect(() => parse(laughs(root), 'application/xml')).toThrow(IngestPayloadError);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1000);
  });

  it('refuses deeply nested documents', () => {
    const deep = Buffer.from(`${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}`);
    expect(() => PARSERS.hikvision(deep, 'application/xml')).toThrow(IngestPayloadError);
  });
});

describe('raw Kafka records under bad input', () => {
  it('are readable or dead-lettered, never anything else', () => {
    fc.assert(
      fc.property(
        fc.record({
          videoSystemId: fc.string({ maxLength: 40 }),
          regionCode: fc.constantFrom('ALA', 'AST', 'XX', ''),
          ingestionMethod: fc.integer({ min: -1, max: 6 }),
          contentType: fc.constantFrom(
            'application/json',
            'application/x-protobuf',
            'application/xml',
            'text/plain',
          ),
          payload: fc.oneof(
            fc.uint8Array({ maxLength: 512 }),
            fc.constantFrom(...ADAPTERS.flatMap((a) => a.samples)),
          ),
        }),
        (raw) => {
          try {
            unitsOfRawRecord({
              ...raw,
              vendorEventId: '',
              receivedAt: new Date(),
              payload: Buffer.from(raw.payload),
            });
          } catch (error) {
            expect((error as Error).name).toBe('NonRetriableEventError');
          }
        },
      ),
      RUNS,
    );
  });
});
