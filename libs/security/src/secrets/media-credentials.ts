import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** What a camera asks of whoever reads its stream or snapshots. */
export interface MediaCredentials {
  username: string;
  password: string;
}

/**
 * Cameras' media credentials at rest and in flight: AES-256-GCM under MEDIA_CREDENTIALS_KEY, which
 * camera-registry (that stores them) and video-analytics (that uses them) hold and the database
 * and the event stream never do, bound by additional data to the camera's id so sealed
 * credentials copied to another camera do not open.
 */
export class MediaCredentialsSealer {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new RangeError('the media credentials key must be 32 bytes');
    this.key = key;
  }

  /** From MEDIA_CREDENTIALS_KEY (base64 of 32 bytes). */
  static fromBase64(value: string): MediaCredentialsSealer {
    return new MediaCredentialsSealer(Buffer.from(value, 'base64'));
  }

  /** A key derived from a fixed phrase: development and tests only, where no real camera is read. */
  static development(): MediaCredentialsSealer {
    return new MediaCredentialsSealer(
      createHash('sha256').update('safecity development media credentials key').digest(),
    );
  }

  seal(credentials: MediaCredentials, cameraId: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(`camera:${cameraId}`, 'utf8'));
    const plain = Buffer.from(JSON.stringify({ u: credentials.username, p: credentials.password }), 'utf8');
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  open(sealed: Uint8Array, cameraId: string): MediaCredentials {
    const bytes = Buffer.from(sealed);
    if (bytes.length < 1 + IV_BYTES + TAG_BYTES || bytes[0] !== VERSION) {
      throw new Error('not sealed media credentials');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(1, 1 + IV_BYTES));
    decipher.setAAD(Buffer.from(`camera:${cameraId}`, 'utf8'));
    decipher.setAuthTag(bytes.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(bytes.subarray(1 + IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]);
    const parsed = JSON.parse(plain.toString('utf8')) as { u: string; p: string };
    return { username: parsed.u, password: parsed.p };
  }
}
