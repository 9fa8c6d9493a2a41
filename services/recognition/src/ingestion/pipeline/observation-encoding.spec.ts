import { recognition } from '@safecity/contracts';
import { encodeObservation } from './observation-encoding';

function detection(vendorEventId: string, media = 0): recognition.Detection {
  return {
    id: '7f0a4a52-3c1e-5b8e-9a4d-0c5b2d1e6f70',
    kind: recognition.DetectionKind.DETECTION_KIND_PLATE,
    cameraId: '3b1f5d0e-8c1a-4d6e-9f2b-7a5c4e3d2b10',
    videoSystemId: 'vms-1',
    regionCode: 'ALA',
    vendorEventId,
    observedAt: new Date('2026-11-25T10:00:00.123Z'),
    receivedAt: new Date('2026-11-25T10:00:01Z'),
    location: { lat: 43.25, lon: 76.95 },
    frameBox: { x: 0.1, y: 0.2, width: 0.3, height: 0.1 },
    // Enough media to need a two-byte length prefix.
    media: Array.from({ length: media }, (_, i) => ({
      kind: 1,
      uri: `https://media.example/${'x'.repeat(100)}/${i}`,
      contentType: 'image/jpeg',
      capturedAt: new Date('2026-11-25T10:00:00Z'),
      expiresAt: null,
    })),
    plate: { text: '123ABC02', country: 'KZ', confidence: 0.9, vehicle: null, direction: 1 },
  };
}

describe('encodeObservation', () => {
  it.each([
    ['a short detection (one-byte length)', detection('e-1')],
    ['a long detection (multi-byte length)', detection('e-2', 3)],
  ])('gives the bytes of DetectionObserved and of its Detection: %s', (_, d) => {
    const { observed, detection: stored } = encodeObservation(d);
    expect(Buffer.from(observed)).toEqual(
      Buffer.from(recognition.DetectionObserved.encode({ detection: d }).finish()),
    );
    expect(Buffer.from(stored)).toEqual(Buffer.from(recognition.Detection.encode(d).finish()));
    expect(recognition.Detection.decode(stored)).toEqual(d);
  });

  it('keeps each result apart from the next encoding', () => {
    const first = encodeObservation(detection('first'));
    const copy = Buffer.from(first.observed);
    encodeObservation(detection('second', 2));
    expect(Buffer.from(first.observed)).toEqual(copy);
  });
});
