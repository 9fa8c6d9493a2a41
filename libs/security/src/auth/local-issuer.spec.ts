import { mkdtempSync, readFileSync, statSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader } from 'jose';
import { AuthenticationError } from './jwt-verifier';
import { DEFAULT_AUDIENCE, DEFAULT_LOCAL_ISSUER, LocalIssuer } from './local-issuer';

const tempDir = () => join(mkdtempSync(join(tmpdir(), 'safecity-issuer-')), 'issuer');

describe('LocalIssuer', () => {
  it('creates its key on first use, private to the owner, and keeps it across restarts', async () => {
    const directory = tempDir();
    const first = await LocalIssuer.open({ directory });
    const file = join(directory, 'issuer-key.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(directory).mode & 0o077).toBe(0);

    const token = await first.issue({ subject: 'alice', roles: ['operator'], regions: ['ALA'] });
    const second = await LocalIssuer.open({ directory });
    expect(second.keyId).toBe(first.keyId);
    await expect(second.verifier().verify(token)).resolves.toMatchObject({
      subject: 'alice',
      roles: ['operator'],
      regions: ['ALA'],
    });
  });

  it('publishes only the public key, with its kid', async () => {
    const issuer = await LocalIssuer.open({ directory: tempDir() });
    const { keys } = issuer.jwks();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: issuer.keyId });
    expect(keys[0]).not.toHaveProperty('d');
    const token = await issuer.issue({ subject: 's', roles: ['admin'] });
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', kid: issuer.keyId });
    expect(issuer.issuer).toBe(DEFAULT_LOCAL_ISSUER);
  });

  it('agrees on one key when started twice at once', async () => {
    const directory = tempDir();
    const issuers = await Promise.all([1, 2, 3, 4].map(() => LocalIssuer.open({ directory })));
    expect(new Set(issuers.map((i) => i.keyId)).size).toBe(1);
    expect(JSON.parse(readFileSync(join(directory, 'issuer-key.json'), 'utf8')).privateJwk.kid).toBe(
      issuers[0]!.keyId,
    );
  });

  it('tightens a key file others could read', async () => {
    const directory = tempDir();
    await LocalIssuer.open({ directory });
    chmodSync(join(directory, 'issuer-key.json'), 0o644);
    await LocalIssuer.open({ directory });
    expect(statSync(join(directory, 'issuer-key.json')).mode & 0o777).toBe(0o600);
  });

  it('mints tokens with the requested audience, lifetime and regions', async () => {
    const issuer = await LocalIssuer.open({ directory: tempDir() });
    const all = await issuer.issue({ subject: 'root', roles: ['admin'], regions: 'all', audience: 'other' });
    await expect(issuer.verifier().verify(all)).rejects.toBeInstanceOf(AuthenticationError);
    await expect(issuer.verifier({ audience: 'other' }).verify(all)).resolves.toMatchObject({
      regions: 'all',
    });
    expect(DEFAULT_AUDIENCE).toBe('safecity');

    const expired = await issuer.issue({ subject: 'x', roles: ['analyst'], ttlSeconds: 1 });
    const strict = issuer.verifier({ clockToleranceSeconds: 0 });
    await new Promise((r) => setTimeout(r, 1100));
    await expect(strict.verify(expired)).rejects.toMatchObject({ code: 'expired' });
  });

  it('refuses to mint tokens without a platform role or with an absurd lifetime', async () => {
    const issuer = await LocalIssuer.open({ directory: tempDir() });
    await expect(issuer.issue({ subject: 'x', roles: [] })).rejects.toThrow(RangeError);
    await expect(issuer.issue({ subject: 'x', roles: ['root' as 'admin'] })).rejects.toThrow(RangeError);
    await expect(issuer.issue({ subject: 'x', roles: ['admin'], ttlSeconds: 0 })).rejects.toThrow(RangeError);
    await expect(issuer.issue({ subject: 'x', roles: ['admin'], ttlSeconds: 365 * 86400 })).rejects.toThrow(
      RangeError,
    );
  });
});
