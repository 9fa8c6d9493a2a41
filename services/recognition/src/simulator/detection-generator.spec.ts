import { parseCanonicalValue } from '../ingestion/canonical/canonical-json.parser';
import { DEMO_HOTLIST_PLATES, DetectionGenerator, seeded } from './detection-generator';

describe('DetectionGenerator', () => {
  it('produces canonical detections the canonical adapter accepts, in the configured mix', () => {
    const generator = new DetectionGenerator(seeded(1), 'spec');
    const detections = Array.from({ length: 2000 }, (_, i) => generator.next(`cam-${i % 7}`));
    const { candidates } = parseCanonicalValue({ detections: detections.slice(0, 1000) });
    expect(candidates).toHaveLength(1000);
    const kinds = detections.map((d) => d['kind']);
    const share = (kind: string) => kinds.filter((k) => k === kind).length / kinds.length;
    expect(share('plate')).toBeGreaterThan(0.5);
    expect(share('face')).toBeGreaterThan(0.08);
    expect(share('behaviour')).toBeGreaterThan(0.15);
    expect(new Set(detections.map((d) => d['vendorEventId'])).size).toBe(detections.length);
    const faces = candidates.filter((c) => c.face);
    expect(faces.every((c) => c.face!.template?.vector.length === 512)).toBe(true);
  });

  it('shows demo hotlist plates at the configured share, and replays with the same seed', () => {
    const plates = (seed: number) => {
      const generator = new DetectionGenerator(seeded(seed), 'spec', { hotPlateShare: 0.1 });
      return Array.from({ length: 5000 }, () => generator.plateText());
    };
    const first = plates(7);
    const hot =
      first.filter((p) => (DEMO_HOTLIST_PLATES as readonly string[]).includes(p)).length / first.length;
    expect(hot).toBeGreaterThan(0.07);
    expect(hot).toBeLessThan(0.13);
    expect(plates(7)).toEqual(first);
    expect(first.every((p) => /^\d{3}[A-Z]{3}\d{2}$/.test(p))).toBe(true);
  });
});
