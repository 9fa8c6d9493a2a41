import { randomBytes } from 'node:crypto';
import { TemplateSealer } from './template-sealer';

describe('TemplateSealer', () => {
  const sealer = new TemplateSealer(randomBytes(32));
  const vector = Float32Array.from([0.25, -1.5, 3, 1e-3]);

  it('opens what it sealed, for the same binding only', () => {
    const sealed = sealer.seal(vector, 'tpl-1:entry-1:m@1');
    expect(sealer.open(sealed, 'tpl-1:entry-1:m@1')).toEqual(vector);
    expect(() => sealer.open(sealed, 'tpl-1:entry-2:m@1')).toThrow();
  });

  it('does not carry the vector in the clear, and refuses tampering or another key', () => {
    const sealed = sealer.seal(vector, 'b');
    expect(sealed.includes(Buffer.from(vector.buffer))).toBe(false);
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] ^= 1;
    expect(() => sealer.open(tampered, 'b')).toThrow();
    expect(() => new TemplateSealer(randomBytes(32)).open(sealed, 'b')).toThrow();
    expect(() => new TemplateSealer(randomBytes(16))).toThrow(RangeError);
  });
});
