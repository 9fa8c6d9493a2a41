import { contentEventId, detectionId, observationEventId } from './detection-id';

describe('detection ids', () => {
  it('gives a re-sent vendor event the same id, and other events other ids', () => {
    const id = detectionId('vs-1', 'evt-42');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(detectionId('vs-1', 'evt-42')).toBe(id);
    expect(detectionId('vs-2', 'evt-42')).not.toBe(id);
    expect(detectionId('vs-1', 'evt-43')).not.toBe(id);
    // The separator keeps (a, bc) and (ab, c) apart.
    expect(detectionId('a', 'bc')).not.toBe(detectionId('ab', 'c'));
  });

  it('keeps the ids of earlier releases, which stored detections are deduplicated by', () => {
    expect(detectionId('vs-1', 'evt-42')).toBe('db3ef3ba-1f83-53f1-bf15-045fa5e2e717');
    expect(detectionId('системa', 'ключ/"1"')).toBe('d933437b-6263-5e3d-b00b-ead47e462170');
    expect(observationEventId(detectionId('vs-1', 'evt-42'), new Date(1764064800123))).toBe(
      'e0240a58-d6c3-5050-9fd2-8e00fcdff85d',
    );
  });

  it('names each version of a detection by its revision time', () => {
    const id = detectionId('vs-1', 'evt-42');
    const first = observationEventId(id, new Date(1000));
    expect(observationEventId(id, new Date(1000))).toBe(first);
    expect(observationEventId(id, new Date(2000))).not.toBe(first);
  });

  it('derives vendor event ids from content', () => {
    expect(contentEventId('a', 'b')).toBe(contentEventId('a', 'b'));
    expect(contentEventId('a', 'b')).not.toBe(contentEventId('ab', ''));
  });
});
