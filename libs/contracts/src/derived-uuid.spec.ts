import { derivedUuid } from './derived-uuid';
import { isUuid } from './identifiers';

describe('derivedUuid', () => {
  it('gives a name the same id every time, and other names other ids', () => {
    const id = derivedUuid('plate-match:1');
    expect(derivedUuid('plate-match:1')).toBe(id);
    expect(derivedUuid('plate-match:2')).not.toBe(id);
    expect(derivedUuid('plate-match:1', 'sha256-version-5')).not.toBe(id);
    expect(isUuid(id, { lowerCase: true })).toBe(true);
  });

  it('sets the version and variant of each layout', () => {
    for (let i = 0; i < 50; i++) {
      expect(derivedUuid(`n${i}`)).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(derivedUuid(`n${i}`, 'sha256-version-5')).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(derivedUuid(`n${i}`, 'sha256-version-5-variant-a')).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    }
  });

  // Ids of earlier releases, written down from the derivations they were issued by: stored rows
  // and consumers' inboxes are keyed by them.
  it('keeps the match and alert ids already issued (v8)', () => {
    const detection = 'db3ef3ba-1f83-53f1-bf15-045fa5e2e717';
    expect(derivedUuid(`plate-match:${detection}`)).toBe('db121f86-bf8e-8fff-b2f9-8e30b7079043');
    expect(derivedUuid(`face-match:${detection}`)).toBe('4da6a1c7-6f36-849f-ab16-447123de1054');
    expect(derivedUuid(`behaviour-alert:${detection}`)).toBe('91d9d9ab-d3a3-8f3d-a4b3-0ea14e946005');
    expect(derivedUuid('ключ/"1"')).toBe('2f4a08a7-fac6-8c30-aa0a-5b9f89ab8c21');
  });

  it('keeps the detection ids already issued (SHA-256 with version-5 bits)', () => {
    expect(derivedUuid('detection\0vs-1\0evt-42', 'sha256-version-5')).toBe(
      'db3ef3ba-1f83-53f1-bf15-045fa5e2e717',
    );
  });

  it('keeps the picture ids already issued (version-5 bits, variant nibble a)', () => {
    const detection = 'db3ef3ba-1f83-53f1-bf15-045fa5e2e717';
    const picture = (index: number) =>
      derivedUuid(`picture\0${detection}\0${index}`, 'sha256-version-5-variant-a');
    expect([0, 1, 2].map(picture)).toEqual([
      '533f7612-ddcc-5831-a85d-3be37143047e',
      'fb0bfdaf-d534-5a62-a836-234095f02276',
      'b8157009-9d00-52cf-a84f-4e2b235ec0f1',
    ]);
  });
});
