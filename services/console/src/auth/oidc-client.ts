import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';

/** What the console needs of the provider's discovery document. */
export interface ProviderMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  end_session_endpoint?: string;
  code_challenge_methods_supported?: string[];
}

export interface OidcClientOptions {
  /** Where the discovery document is, e.g. `https://sso.example.kz/realms/safecity/.well-known/openid-configuration`. */
  discoveryUrl: string;
  clientId: string;
  /** Confidential clients only; a public client (PKCE alone) has none. */
  clientSecret?: string;
  scopes?: string[];
  /**
   * Server-side fetches may need another base than the browser sees (Keycloak at
   * `http://keycloak:8080` inside compose, `http://localhost:8080` in the browser). When set,
   * back-channel URLs (token, JWKS) starting with `publicBase` are fetched from `internalBase`.
   */
  backChannel?: { publicBase: string; internalBase: string };
  timeoutMs?: number;
}

export interface TokenSet {
  accessToken: string;
  idToken: string;
  refreshToken?: string;
  /** Epoch ms when the access token expires. */
  expiresAt: number;
}

/** A sign-in under way: kept server-side until the provider redirects back. */
export interface AuthorizationRequest {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export class OidcError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OidcError';
  }
}

const random = (bytes = 32) => randomBytes(bytes).toString('base64url');

/**
 * The console as an OpenID Connect relying party: authorization code flow with PKCE (S256), the ID
 * token verified against the provider's keys (issuer, audience, nonce, expiry), refresh when the
 * provider gives a refresh token. Tokens stay on the server; the browser only ever sees a session
 * cookie.
 */
export class OidcClient {
  private metadata?: Promise<ProviderMetadata>;
  private jwks?: JWTVerifyGetKey;

  constructor(private readonly options: OidcClientOptions) {}

  /** The provider's metadata, fetched once (again after a failure). */
  provider(): Promise<ProviderMetadata> {
    this.metadata ??= this.fetchJson<ProviderMetadata>(this.options.discoveryUrl).then(
      (metadata) => {
        for (const field of ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const) {
          if (typeof metadata[field] !== 'string') throw new OidcError(`discovery document lacks ${field}`);
        }
        if (
          metadata.code_challenge_methods_supported &&
          !metadata.code_challenge_methods_supported.includes('S256')
        ) {
          throw new OidcError('the provider does not support PKCE with S256');
        }
        return metadata;
      },
      (error: unknown) => {
        this.metadata = undefined;
        throw error;
      },
    );
    return this.metadata;
  }

  async authorizationRequest(redirectUri: string, uiLocale?: string): Promise<AuthorizationRequest> {
    const provider = await this.provider();
    const state = random();
    const nonce = random();
    const codeVerifier = random(48);
    const url = new URL(provider.authorization_endpoint);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', this.options.clientId);
    url.searchParams.set('redirect_uri', redirectUri);
    url.searchParams.set('scope', (this.options.scopes ?? ['openid', 'profile']).join(' '));
    url.searchParams.set('state', state);
    url.searchParams.set('nonce', nonce);
    url.searchParams.set('code_challenge', createHash('sha256').update(codeVerifier).digest('base64url'));
    url.searchParams.set('code_challenge_method', 'S256');
    if (uiLocale) url.searchParams.set('ui_locales', uiLocale);
    return { url: url.toString(), state, nonce, codeVerifier };
  }

  /** Exchanges the code for tokens and verifies the ID token against the request's nonce. */
  async exchange(code: string, request: AuthorizationRequest, redirectUri: string): Promise<TokenSet> {
    const tokens = await this.tokenRequest({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: request.codeVerifier,
    });
    if (!tokens.id_token) throw new OidcError('the provider answered without an ID token');
    await this.verifyIdToken(tokens.id_token, request.nonce);
    return toTokenSet(tokens);
  }

  async refresh(refreshToken: string, previous: TokenSet): Promise<TokenSet> {
    const tokens = await this.tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken });
    const set = toTokenSet({ ...tokens, id_token: tokens.id_token ?? previous.idToken });
    return { ...set, refreshToken: set.refreshToken ?? refreshToken };
  }

  /** Where to send the browser to end the provider's session too, if it has such an endpoint. */
  async logoutUrl(idToken: string, postLogoutRedirectUri: string): Promise<string | null> {
    const provider = await this.provider();
    if (!provider.end_session_endpoint) return null;
    const url = new URL(provider.end_session_endpoint);
    url.searchParams.set('id_token_hint', idToken);
    url.searchParams.set('post_logout_redirect_uri', postLogoutRedirectUri);
    url.searchParams.set('client_id', this.options.clientId);
    return url.toString();
  }

  private async verifyIdToken(idToken: string, nonce: string) {
    const provider = await this.provider();
    this.jwks ??= createRemoteJWKSet(new URL(this.backChannelUrl(provider.jwks_uri)), {
      cooldownDuration: 30_000,
    });
    let payload;
    try {
      ({ payload } = await jwtVerify(idToken, this.jwks, {
        issuer: provider.issuer,
        audience: this.options.clientId,
        algorithms: ['RS256', 'ES256', 'PS256', 'EdDSA'],
        clockTolerance: 30,
      }));
    } catch (error) {
      throw new OidcError(`ID token refused: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (payload['nonce'] !== nonce) throw new OidcError('ID token nonce does not match the sign-in');
  }

  private async tokenRequest(fields: Record<string, string>) {
    const provider = await this.provider();
    const body = new URLSearchParams({ ...fields, client_id: this.options.clientId });
    if (this.options.clientSecret) body.set('client_secret', this.options.clientSecret);
    const response = await fetch(this.backChannelUrl(provider.token_endpoint), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok || typeof answer['access_token'] !== 'string') {
      throw new OidcError(
        `token endpoint answered ${response.status}: ${String(answer['error'] ?? '')} ${String(
          answer['error_description'] ?? '',
        )}`.trim(),
      );
    }
    return answer as {
      access_token: string;
      id_token?: string;
      refresh_token?: string;
      expires_in?: number;
    };
  }

  private backChannelUrl(url: string): string {
    const mapping = this.options.backChannel;
    return mapping && url.startsWith(mapping.publicBase)
      ? mapping.internalBase + url.slice(mapping.publicBase.length)
      : url;
  }

  private async fetchJson<T>(url: string): Promise<T> {
    const response = await fetch(this.backChannelUrl(url), {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    if (!response.ok) throw new OidcError(`${url} answered ${response.status}`);
    return (await response.json()) as T;
  }
}

function toTokenSet(tokens: {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  expires_in?: number;
}): TokenSet {
  return {
    accessToken: tokens.access_token,
    idToken: tokens.id_token ?? '',
    refreshToken: tokens.refresh_token,
    expiresAt: Date.now() + (tokens.expires_in ?? 300) * 1000,
  };
}
