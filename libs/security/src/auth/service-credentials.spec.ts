import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import {
  ClientCredentialsTokenSource,
  LocalServiceTokenSource,
  ServiceCredentials,
  TokenEndpointError,
} from './service-credentials';
import { LocalIssuer } from './local-issuer';
import type { Principal } from '../principal';

function tokenEndpoint(responses: (() => Response)[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchFn = jest.fn(async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    const next = responses.shift();
    if (!next) throw new Error('unexpected token request');
    return next();
  }) as unknown as typeof fetch;
  return { fetchFn, calls };
}

const ok =
  (token: string, expiresIn = 300) =>
  () =>
    new Response(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: expiresIn }), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });

describe('ClientCredentialsTokenSource', () => {
  it('asks the token endpoint with the client credentials and caches until shortly before expiry', async () => {
    let clock = 1_000_000;
    const { fetchFn, calls } = tokenEndpoint([ok('t1', 300), ok('t2', 300)]);
    const source = new ClientCredentialsTokenSource({
      tokenUrl: 'https://idp.test/token',
      clientId: 'recognition',
      clientSecret: 's3cr:et',
      scope: 'safecity',
      fetch: fetchFn,
      now: () => clock,
    });
    expect(await source.token()).toBe('t1');
    clock += 200_000;
    expect(await source.token()).toBe('t1');
    clock += 75_000; // 275 s: inside the 30 s renewal margin
    expect(await source.token()).toBe('t2');
    expect(calls).toHaveLength(2);
    const { url, init } = calls[0]!;
    expect(url).toBe('https://idp.test/token');
    expect(init.method).toBe('POST');
    const headers = init.headers as Record<string, string>;
    expect(Buffer.from(headers.authorization!.replace('Basic ', ''), 'base64').toString()).toBe(
      'recognition:s3cr%3Aet',
    );
    expect(String(init.body)).toBe('grant_type=client_credentials&scope=safecity');
  });

  it('shares one request among concurrent callers', async () => {
    const { fetchFn, calls } = tokenEndpoint([ok('t1')]);
    const source = new ClientCredentialsTokenSource({
      tokenUrl: 'https://idp.test/token',
      clientId: 'a',
      clientSecret: 'b',
      fetch: fetchFn,
    });
    const tokens = await Promise.all([source.token(), source.token(), source.token()]);
    expect(tokens).toEqual(['t1', 't1', 't1']);
    expect(calls).toHaveLength(1);
  });

  it('reports a refusal by status only, and tries again next time', async () => {
    const { fetchFn } = tokenEndpoint([
      () => new Response('{"error":"invalid_client","client_secret":"b"}', { status: 401 }),
      ok('t1'),
    ]);
    const source = new ClientCredentialsTokenSource({
      tokenUrl: 'https://idp.test/token',
      clientId: 'a',
      clientSecret: 'b',
      fetch: fetchFn,
    });
    const error = await source.token().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect((error as Error).message).toBe('token endpoint answered 401');
    expect(await source.token()).toBe('t1');
  });

  it('falls back to the token exp when expires_in is missing', async () => {
    let clock = Date.now();
    const exp = Math.floor(clock / 1000) + 120;
    const jwt = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(exp)
      .sign(new Uint8Array(32));
    const { fetchFn, calls } = tokenEndpoint([
      () => new Response(JSON.stringify({ access_token: jwt, token_type: 'bearer' }), { status: 200 }),
      ok('t2'),
    ]);
    const source = new ClientCredentialsTokenSource({
      tokenUrl: 'https://idp.test/token',
      clientId: 'a',
      clientSecret: 'b',
      fetch: fetchFn,
      now: () => clock,
    });
    expect(await source.token()).toBe(jwt);
    clock += 60_000;
    expect(await source.token()).toBe(jwt);
    clock += 40_000;
    expect(await source.token()).toBe('t2');
    expect(calls).toHaveLength(2);
  });
});

describe('ServiceCredentials', () => {
  it('puts a local-issuer service token in gRPC metadata, which verifies as the service', async () => {
    const issuer = await LocalIssuer.open({
      directory: join(mkdtempSync(join(tmpdir(), 'safecity-svc-')), 'issuer'),
    });
    const credentials = new ServiceCredentials(
      new LocalServiceTokenSource(issuer, { serviceName: 'recognition' }),
    );
    const metadata = await credentials.asService();
    const [header] = metadata.get('authorization');
    expect(String(header)).toMatch(/^Bearer ey/);
    const principal = await issuer.verifier().verify(String(header).slice('Bearer '.length));
    expect(principal).toEqual({
      kind: 'service',
      subject: 'service:recognition',
      roles: ['service'],
      regions: 'all',
    });
    // Cached: the next call carries the same token.
    expect((await credentials.asService()).get('authorization')).toEqual([header]);
  });

  it('relays only a token the principal really came with', () => {
    const credentials = new ServiceCredentials();
    expect(ServiceCredentials.bearer('abc').get('authorization')).toEqual(['Bearer abc']);
    const videoSystem: Principal = { kind: 'video-system', subject: 'vs-1', roles: [], regions: ['ALA'] };
    expect(() => credentials.onBehalfOf(videoSystem)).toThrow(/no bearer token to relay/);
    return expect(credentials.asService()).rejects.toThrow(/no service token source/);
  });
});
