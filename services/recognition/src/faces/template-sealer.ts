import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Enrolled face templates at rest: AES-256-GCM under a key the database never holds, bound by its
 * additional data to the template's id, entry and model, so a sealed template copied onto another
 * row (or another person) does not open. A database dump alone yields no vector.
 */
export class TemplateSealer {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new RangeError('the face template key must be 32 bytes');
    this.key = key;
  }

  /** From FACE_TEMPLATE_KEY (base64 of 32 bytes). */
  static fromBase64(value: string): TemplateSealer {
    return new TemplateSealer(Buffer.from(value, 'base64'));
  }

  /** A key derived from a fixed phrase: for development and tests only, where nothing real is enrolled. */
  static development(): TemplateSealer {
    return new TemplateSealer(createHash('sha256').update('safecity development face template key').digest());
  }

  seal(vector: Float32Array, binding: string): Buffer {
    return this.sealBytes(Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength), binding);
  }

  /** Any bytes under the same key (kept enrolment photos), bound likewise. */
  sealBytes(plain: Uint8Array, binding: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(binding, 'utf8'));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  open(sealed: Buffer, binding: string): Float32Array {
    const plain = this.openBytes(sealed, binding);
    // Copied into fresh memory: a Float32Array needs 4-byte alignment.
    const out = new Float32Array(plain.length / 4);
    new Uint8Array(out.buffer).set(plain);
    return out;
  }

  openBytes(sealed: Buffer, binding: string): Buffer {
    if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== VERSION) {
      throw new Error('not a sealed face template');
    }
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAAD(Buffer.from(binding, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
  }
}
