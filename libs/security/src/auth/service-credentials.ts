import { Metadata } from '@grpc/grpc-js';
import { decodeJwt } from 'jose';
import type { Principal } from '../principal';
import { bearerTokenOf } from './call-context';
import { DEFAULT_AUDIENCE, type LocalIssuer } from './local-issuer';

/** Produces the bearer token a service presents when it calls another one on its own behalf. */
export interface ServiceTokenSource {
  token(): Promise<string>;
}

/** Tokens are renewed this long before they expire, so none expires in flight. */
const DEFAULT_REFRESH_MARGIN_SECONDS = 30;

/**
 * Caches one token and renews it shortly before expiry; concurrent callers share one renewal
 * rather than each asking the issuer.
 */
abstract class CachingTokenSource implements ServiceTokenSource {
  private cached?: { token: string; renewAt: number };
  private inFlight?: Promise<string>;

  protected constructor(
    private readonly refreshMarginSeconds: number,
    private readonly now: () => number,
  ) {}

  protected abstract fetchToken(): Promise<{ token: string; expiresInSeconds: number }>;

  async token(): Promise<string> {
    if (this.cached && this.now() < this.cached.renewAt) return this.cached.token;
    this.inFlight ??= this.fetchToken()
      .then(({ token, expiresInSeconds }) => {
        const margin = Math.min(this.refreshMarginSeconds, expiresInSeconds / 2);
        this.cached = { token, renewAt: this.now() + (expiresInSeconds - margin) * 1000 };
        return token;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }
}

export interface LocalServiceTokenOptions {
  /** The calling service's name, e.g. `recognition`: the `sub` of its tokens. */
  serviceName: string;
  audience?: string;
  /** Default 300 s. */
  ttlSeconds?: number;
  refreshMarginSeconds?: number;
  now?: () => number;
}

/** Service tokens minted by the embedded default's {@link LocalIssuer}. */
export class LocalServiceTokenSource extends CachingTokenSource {
  constructor(
    private readonly issuer: LocalIssuer,
    private readonly options: LocalServiceTokenOptions,
  ) {
    super(options.refreshMarginSeconds ?? DEFAULT_REFRESH_MARGIN_SECONDS, options.now ?? Date.now);
  }

  protected async fetchToken() {
    const ttl = this.options.ttlSeconds ?? 300;
    const token = await this.issuer.issue({
      subject: `service:${this.options.serviceName}`,
      roles: ['service'],
      regions: 'all',
      ttlSeconds: ttl,
      audience: this.options.audience ?? DEFAULT_AUDIENCE,
    });
    return { token, expiresInSeconds: ttl };
  }
}

export interface ClientCredentialsOptions {
  /** The identity provider's token endpoint, e.g. Keycloak's `.../protocol/openid-connect/token`. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  /** Sent as `audience` for providers that take one (Auth0, Keycloak token exchange). */
  audience?: string;
  refreshMarginSeconds?: number;
  /** Default 5000 ms. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

export class TokenEndpointError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'TokenEndpointError';
  }
}

/** OAuth 2.0 client credentials grant (RFC 6749 §4.4) against a production identity provider. */
export class ClientCredentialsTokenSource extends CachingTokenSource {
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: ClientCredentialsOptions) {
    super(options.refreshMarginSeconds ?? DEFAULT_REFRESH_MARGIN_SECONDS, options.now ?? Date.now);
    this.fetchFn = options.fetch ?? fetch;
  }

  protected async fetchToken() {
    const body = new URLSearchParams({ grant_type: 'client_credentials' });
    if (this.options.scope) body.set('scope', this.options.scope);
    if (this.options.audience) body.set('audience', this.options.audience);
    // RFC 6749 §2.3.1: client id and secret are form-encoded before going into Basic auth.
    const basic = Buffer.from(
      `${encodeURIComponent(this.options.clientId)}:${encodeURIComponent(this.options.clientSecret)}`,
    ).toString('base64');
    const response = await this.fetchFn(this.options.tokenUrl, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body,
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
    });
    if (!response.ok) {
      // The body may echo the credentials back on some providers: only the status is reported.
      throw new TokenEndpointError(`token endpoint answered ${response.status}`, response.status);
    }
    const json = (await response.json()) as {
      access_token?: unknown;
      expires_in?: unknown;
      token_type?: unknown;
    };
    if (typeof json.access_token !== 'string' || json.access_token.length === 0) {
      throw new TokenEndpointError('token endpoint answered without an access_token');
    }
    if (typeof json.token_type === 'string' && json.token_type.toLowerCase() !== 'bearer') {
      throw new TokenEndpointError(`token endpoint issued a ${json.token_type} token, not a bearer token`);
    }
    return { token: json.access_token, expiresInSeconds: expiresIn(json.access_token, json.expires_in) };
  }
}

function expiresIn(token: string, declared: unknown): number {
  if (typeof declared === 'number' && declared > 0) return declared;
  try {
    const { exp } = decodeJwt(token);
    if (typeof exp === 'number') return Math.max(1, exp - Math.floor(Date.now() / 1000));
  } catch {
    // Opaque tokens: fall through to a conservative lifetime.
  }
  return 60;
}

/**
 * gRPC metadata for calls between services: either the caller's own bearer token, so the callee
 * authorizes the person who asked (relay), or this service's token for work it does on its own.
 */
export class ServiceCredentials {
  constructor(private readonly serviceTokens?: ServiceTokenSource) {}

  /** Metadata carrying a given bearer token. */
  static bearer(token: string): Metadata {
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${token}`);
    return metadata;
  }

  /** Metadata carrying this service's own token. */
  async asService(): Promise<Metadata> {
    if (!this.serviceTokens) throw new Error('ServiceCredentials has no service token source configured');
    return ServiceCredentials.bearer(await this.serviceTokens.token());
  }

  /**
   * Metadata carrying the token `principal` authenticated with. Throws for principals that did not
   * come with a bearer token (video systems): quietly substituting the service's identity would
   * widen what the caller may do.
   */
  onBehalfOf(principal: Principal): Metadata {
    const token = bearerTokenOf(principal);
    if (!token)
      throw new Error(`principal ${principal.kind}:${principal.subject} has no bearer token to relay`);
    return ServiceCredentials.bearer(token);
  }
}
