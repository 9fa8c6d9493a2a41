import { createHash } from 'node:crypto';
import { generateApiKey, hashSecret, parseApiKey, secretMatches } from './api-key';

describe('API key format', () => {
  it('is sck_<12-char key id>_<secret of 32 random bytes, base64url>', () => {
    const { apiKey, keyId, secretHash } = generateApiKey();
    expect(apiKey).toMatch(/^sck_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$/);
    const parsed = parseApiKey(apiKey)!;
    expect(parsed.keyId).toBe(keyId);
    expect(Buffer.from(parsed.secret, 'base64url')).toHaveLength(32);
    expect(secretHash.equals(createHash('sha256').update(parsed.secret).digest())).toBe(true);
  });

  it('never repeats', () => {
    const keys = new Set(Array.from({ length: 2000 }, () => generateApiKey().apiKey));
    const ids = new Set([...keys].map((k) => parseApiKey(k)!.keyId));
    expect(keys.size).toBe(2000);
    expect(ids.size).toBe(2000);
  });

  it('parses secrets that contain the separator', () => {
    const parsed = parseApiKey(`sck_abcdefghijkl_${'_'.repeat(10)}${'a'.repeat(33)}`);
    expect(parsed).toEqual({ keyId: 'abcdefghijkl', secret: `${'_'.repeat(10)}${'a'.repeat(33)}` });
  });

  it.each([
    '',
    'sck_',
    'sck_abcdefghijkl_short',
    'sck_ABCDEFGHIJKL_' + 'a'.repeat(43),
    'sck_abcdefghijk_' + 'a'.repeat(43),
    'xyz_abcdefghijkl_' + 'a'.repeat(43),
    'sck_abcdefghijkl_' + 'a'.repeat(43) + ' ',
    'sck_abcdefghijkl_' + 'a'.repeat(42) + '=',
  ])('refuses %p', (value) => {
    expect(parseApiKey(value)).toBeUndefined();
  });

  it('matches only the right secret', () => {
    const hash = hashSecret('right');
    expect(secretMatches('right', hash)).toBe(true);
    expect(secretMatches('wrong', hash)).toBe(false);
    expect(secretMatches('right', Buffer.alloc(16))).toBe(false);
  });
});
