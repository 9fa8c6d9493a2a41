import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const API_KEY_PREFIX = 'sck';
export const KEY_ID_LENGTH = 12;
export const SECRET_BYTES = 32;

// RFC 4648 base32 in lower case: 32 symbols, so `byte & 31` picks one without bias, and no `_`,
// which separates the parts of a key.
const KEY_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const KEY_PATTERN = new RegExp(`^${API_KEY_PREFIX}_([a-z2-7]{${KEY_ID_LENGTH}})_([A-Za-z0-9_-]{43,128})$`);

export interface ParsedApiKey {
  keyId: string;
  secret: string;
}

export function newKeyId(): string {
  return [...randomBytes(KEY_ID_LENGTH)].map((byte) => KEY_ID_ALPHABET[byte & 31]).join('');
}

/** A fresh key `sck_<keyId>_<secret>`: the secret is 32 random bytes, base64url. */
export function generateApiKey(keyId = newKeyId()): { apiKey: string; keyId: string; secretHash: Buffer } {
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return { apiKey: `${API_KEY_PREFIX}_${keyId}_${secret}`, keyId, secretHash: hashSecret(secret) };
}

/** The parts of a presented key, or undefined if it is not shaped like one of ours. */
export function parseApiKey(presented: string): ParsedApiKey | undefined {
  const match = KEY_PATTERN.exec(presented);
  return match ? { keyId: match[1] as string, secret: match[2] as string } : undefined;
}

/**
 * SHA-256, not a slow password hash: a slow hash only helps against guessing low-entropy
 * passwords from a stolen table. 256 random bits cannot be guessed at any hash speed, and a fast
 * hash keeps checking a key on every ingest request cheap.
 */
export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(secret: string, storedHash: Buffer): boolean {
  const presented = hashSecret(secret);
  return storedHash.length === presented.length && timingSafeEqual(presented, storedHash);
}
