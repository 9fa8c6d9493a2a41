import { randomBytes } from 'node:crypto';
import { templateSealerFor } from './face-matcher';
import { TemplateSealer } from './template-sealer';

describe('templateSealerFor', () => {
  const vector = Float32Array.from([0.5, -2, 7]);
  const sealedByDevelopmentKey = (sealer: TemplateSealer) => {
    try {
      TemplateSealer.development().open(sealer.seal(vector, 'b'), 'b');
      return true;
    } catch {
      return false;
    }
  };

  it('seals under the configured key, without warning', () => {
    const key = randomBytes(32);
    const warn = jest.fn();
    const sealer = templateSealerFor(
      { templateKey: key.toString('base64'), developmentKey: false },
      { warn },
    );
    expect(new TemplateSealer(key).open(sealer.seal(vector, 'b'), 'b')).toEqual(vector);
    expect(sealedByDevelopmentKey(sealer)).toBe(false);
    expect(warn).not.toHaveBeenCalled();
  });

  it('refuses to fall back to the development key when that is not allowed', () => {
    expect(() => templateSealerFor({ developmentKey: false }, { warn: jest.fn() })).toThrow(
      /FACE_TEMPLATE_KEY is not set: refusing/,
    );
  });

  it('falls back to the development key, with a warning, by default and when allowed', () => {
    for (const options of [{}, { developmentKey: true }]) {
      const warn = jest.fn();
      expect(sealedByDevelopmentKey(templateSealerFor(options, { warn }))).toBe(true);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/development key/));
    }
  });
});
