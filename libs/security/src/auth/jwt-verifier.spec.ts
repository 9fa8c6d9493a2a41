import { createHmac, generateKeyPairSync } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet, type JWK, type KeyLike } from 'jose';
import { AuthenticationError, JwtVerifier, principalFromClaims } from './jwt-verifier';

const ISSUER = 'https://idp.test/realms/safecity';
const AUDIENCE = 'safecity';

interface TestKey {
  kid: string;
  alg: 'ES256' | 'RS256';
  privateKey: KeyLike;
  jwk: JWK;
}

async function key(kid: string, alg: 'ES256' | 'RS256' = 'ES256'): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

function sign(k: TestKey, claims: Record<string, unknown> = {}, edit?: (jwt: SignJWT) => SignJWT) {
  let jwt = new SignJWT({ roles: ['operator'], regions: ['ALA'], ...claims })
    .setProtectedHeader({ alg: k.alg, kid: k.kid })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject('alice')
    .setIssuedAt()
    .setExpirationTime('5m');
  if (edit) jwt = edit(jwt);
  return jwt.sign(k.privateKey);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

async function refusal(verifier: JwtVerifier, token: string): Promise<AuthenticationError> {
  try {
    await verifier.verify(token);
  } catch (error) {
    expect(error).toBeInstanceOf(AuthenticationError);
    // The reason is shown to callers: it must never carry the token.
    const body = token.split('.')[1];
    if (body) expect((error as Error).message).not.toContain(body);
    return error as AuthenticationError;
  }
  throw new Error('token was accepted');
}

describe('JwtVerifier', () => {
  let es: TestKey;
  let rs: TestKey;
  let jwks: JSONWebKeySet;
  let verifier: JwtVerifier;

  beforeAll(async () => {
    es = await key('es-1', 'ES256');
    rs = await key('rs-1', 'RS256');
    jwks = { keys: [es.jwk, rs.jwk] };
    verifier = new JwtVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks });
  });

  it('accepts a valid ES256 or RS256 token and maps its claims', async () => {
    await expect(verifier.verify(await sign(es, { name: 'Alice A.' }))).resolves.toEqual({
      kind: 'user',
      subject: 'alice',
      name: 'Alice A.',
      roles: ['operator'],
      regions: ['ALA'],
    });
    await expect(verifier.verify(await sign(rs))).resolves.toMatchObject({ subject: 'alice' });
  });

  describe('refuses (API2:2023 broken authentication)', () => {
    it('an expired token', async () => {
      const token = await sign(es, {}, (j) => j.setIssuedAt(now() - 3600).setExpirationTime(now() - 60));
      expect((await refusal(verifier, token)).code).toBe('expired');
    });

    it('a token that is not yet valid', async () => {
      const token = await sign(es, {}, (j) => j.setNotBefore(now() + 300));
      expect((await refusal(verifier, token)).code).toBe('not-yet-valid');
    });

    it('a token issued in the future beyond the clock skew allowance (30 s)', async () => {
      const token = await sign(es, {}, (j) => j.setIssuedAt(now() + 600).setExpirationTime(now() + 900));
      const refused = await refusal(verifier, token);
      expect(refused.code).toBe('not-yet-valid');
      expect(refused.message).toBe('token issued in the future');
      // Within the allowance a slightly fast issuer clock is tolerated.
      const skewed = await sign(es, {}, (j) => j.setIssuedAt(now() + 20));
      await expect(verifier.verify(skewed)).resolves.toMatchObject({ subject: 'alice' });
    });

    it('a token of another issuer', async () => {
      const token = await sign(es, {}, (j) => j.setIssuer('https://evil.test'));
      expect((await refusal(verifier, token)).code).toBe('claims');
    });

    it('a token for another audience', async () => {
      const token = await sign(es, {}, (j) => j.setAudience('another-app'));
      expect((await refusal(verifier, token)).code).toBe('claims');
    });

    it('an unsigned token (alg: none)', async () => {
      const payload = { sub: 'alice', iss: ISSUER, aud: AUDIENCE, exp: now() + 300, roles: ['admin'] };
      for (const alg of ['none', 'None', 'NONE']) {
        const token = `${b64({ alg, typ: 'JWT' })}.${b64(payload)}.`;
        await refusal(verifier, token);
      }
    });

    it('an HS256 token signed with the public key as the HMAC secret', async () => {
      const payload = { sub: 'alice', iss: ISSUER, aud: AUDIENCE, exp: now() + 300, roles: ['admin'] };
      const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const rsaJwk = { ...(publicKey.export({ format: 'jwk' }) as JWK), kid: 'rsa-pub', alg: 'RS256' };
      const withRsa = new JwtVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks: { keys: [rsaJwk] } });
      const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
      for (const secret of [pem, JSON.stringify(rsaJwk)]) {
        const head = `${b64({ alg: 'HS256', typ: 'JWT', kid: 'rsa-pub' })}.${b64(payload)}`;
        const token = `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
        expect((await refusal(withRsa, token)).code).toBe('algorithm');
      }
    });

    it('a token whose payload was changed after signing', async () => {
      const [head, , signature] = (await sign(es)).split('.');
      const forged = b64({ sub: 'alice', iss: ISSUER, aud: AUDIENCE, exp: now() + 300, roles: ['admin'] });
      expect((await refusal(verifier, `${head}.${forged}.${signature}`)).code).toBe('signature');
    });

    it('a token whose signature was changed', async () => {
      const token = await sign(es);
      const flipped = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
      await refusal(verifier, flipped);
    });

    it('a token signed by a key the issuer does not have', async () => {
      const stranger = await key('stranger');
      expect((await refusal(verifier, await sign(stranger))).code).toBe('unknown-key');
      // Same kid as a trusted key, different key: the signature gives it away.
      const impostor = await key('es-1');
      expect((await refusal(verifier, await sign(impostor))).code).toBe('signature');
    });

    it('a token without expiry', async () => {
      const token = await new SignJWT({ roles: ['operator'] })
        .setProtectedHeader({ alg: 'ES256', kid: 'es-1' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject('alice')
        .sign(es.privateKey);
      expect((await refusal(verifier, token)).code).toBe('claims');
    });

    it('a token without any platform role', async () => {
      const token = await sign(es, { roles: ['offline_access', 'uma_authorization'] });
      expect((await refusal(verifier, token)).code).toBe('no-role');
    });

    it('garbage', async () => {
      for (const token of ['', 'abc', 'a.b.c', 'a.b', '....']) await refusal(verifier, token);
    });
  });

  it('tolerates a bounded clock skew, 30 s by default', async () => {
    const justExpired = await sign(es, {}, (j) => j.setIssuedAt(now() - 600).setExpirationTime(now() - 10));
    await expect(verifier.verify(justExpired)).resolves.toMatchObject({ subject: 'alice' });
    const strict = new JwtVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks, clockToleranceSeconds: 0 });
    expect((await refusal(strict, justExpired)).code).toBe('expired');
    expect(
      () => new JwtVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks, clockToleranceSeconds: 3600 }),
    ).toThrow(RangeError);
  });

  it('vouches synchronously only for tokens it verified and that have not expired', async () => {
    const fresh = new JwtVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks });
    const token = await sign(es);
    expect(fresh.verifiedRecently(token)).toBeUndefined();
    await fresh.verify(token);
    expect(fresh.verifiedRecently(token)).toMatchObject({ subject: 'alice' });

    const bad = await sign(es, { roles: ['offline_access'] });
    await refusal(fresh, bad);
    expect(fresh.verifiedRecently(bad)).toBeUndefined();

    // Accepted within the clock tolerance, but never remembered past its own expiry.
    const justExpired = await sign(es, {}, (j) => j.setIssuedAt(now() - 600).setExpirationTime(now() - 10));
    await fresh.verify(justExpired);
    expect(fresh.verifiedRecently(justExpired)).toBeUndefined();
  });

  it('cannot be configured with a symmetric or unknown algorithm', () => {
    for (const alg of ['HS256', 'none', 'RS1']) {
      expect(
        () => new JwtVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks, algorithms: [alg as 'RS256'] }),
      ).toThrow(RangeError);
    }
  });

  it('refuses a signature algorithm outside its configured subset', async () => {
    const rsOnly = new JwtVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks, algorithms: ['RS256'] });
    expect((await refusal(rsOnly, await sign(es))).code).toBe('algorithm');
  });
});

describe('principalFromClaims', () => {
  const base = { sub: 'bob', iss: ISSUER, aud: AUDIENCE, exp: now() + 60 };

  it("reads Keycloak's realm_access.roles and keeps only platform roles", () => {
    expect(
      principalFromClaims({
        ...base,
        realm_access: { roles: ['supervisor', 'default-roles-safecity'] },
        regions: ['AST'],
      }),
    ).toMatchObject({ kind: 'user', roles: ['supervisor'], regions: ['AST'] });
  });

  it('gives an admin without a regions claim every region, and nobody else', () => {
    expect(principalFromClaims({ ...base, roles: ['admin'] }).regions).toBe('all');
    expect(principalFromClaims({ ...base, roles: ['operator'] }).regions).toEqual([]);
    expect(principalFromClaims({ ...base, roles: ['admin'], regions: ['ALA'] }).regions).toEqual(['ALA']);
  });

  it('makes a service identity of the service role, acting in every region', () => {
    expect(principalFromClaims({ ...base, roles: ['service'] })).toMatchObject({
      kind: 'service',
      regions: 'all',
    });
  });

  it('upper-cases region codes, drops unknown ones and reads * as all', () => {
    expect(
      principalFromClaims({ ...base, roles: ['analyst'], regions: ['ala', 'XXX', 'ast'] }).regions,
    ).toEqual(['ALA', 'AST']);
    expect(principalFromClaims({ ...base, roles: ['auditor'], regions: ['*'] }).regions).toBe('all');
    expect(principalFromClaims({ ...base, roles: ['analyst'], regions: 'ALA AST' }).regions).toEqual([
      'ALA',
      'AST',
    ]);
  });

  it('uses preferred_username when there is no name', () => {
    expect(principalFromClaims({ ...base, roles: ['operator'], preferred_username: 'bob.k' }).name).toBe(
      'bob.k',
    );
  });
});
