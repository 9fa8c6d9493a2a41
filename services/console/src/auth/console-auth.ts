import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Principal, TokenVerifier } from '@safecity/security';
import type { IncomingMessage } from 'node:http';
import { OidcClient, type TokenSet } from './oidc-client';
import { cookieValue, sameSecret, SESSION_COOKIE, SessionStore, type Session } from './sessions';

export const CONSOLE_AUTH_OPTIONS = Symbol('CONSOLE_AUTH_OPTIONS');

export interface ConsoleAuthOptions {
  oidc: OidcClient;
  /** Verifies the access tokens the provider issues, as the services will: who and which roles. */
  accessTokens: TokenVerifier;
  /** The console as the browser reaches it, e.g. `https://console.safecity.kz`. */
  publicUrl: string;
  idleMinutes: number;
}

/** Why a request is refused before it reaches a service; the application shows the reason. */
export class ConsoleAuthError extends Error {
  constructor(
    readonly status: 401 | 403,
    readonly code: 'signed-out' | 'session-expired' | 'csrf' | 'cross-site',
    message: string,
  ) {
    super(message);
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Refresh a little before expiry, so a token does not expire on its way to a service. */
const REFRESH_MARGIN_MS = 30_000;

/** Sessions, their tokens and the checks every request of the application passes. */
@Injectable()
export class ConsoleAuth implements OnModuleDestroy {
  private readonly logger = new Logger('console:auth');
  readonly sessions: SessionStore;
  private readonly refreshing = new WeakMap<Session, Promise<TokenSet>>();

  constructor(@Inject(CONSOLE_AUTH_OPTIONS) readonly options: ConsoleAuthOptions) {
    this.sessions = new SessionStore(options.idleMinutes * 60_000);
  }

  onModuleDestroy() {
    this.sessions.close();
  }

  get secureCookies(): boolean {
    return this.options.publicUrl.startsWith('https://');
  }

  get redirectUri(): string {
    return `${this.options.publicUrl}/auth/callback`;
  }

  async principalOf(tokens: TokenSet): Promise<Principal> {
    return this.options.accessTokens.verify(tokens.accessToken);
  }

  sessionOf(req: IncomingMessage): Session | undefined {
    return this.sessions.get(cookieValue(req.headers.cookie, SESSION_COOKIE));
  }

  /**
   * The session of a request that may go on to a service, with a fresh access token. Requests that
   * change something must carry the session's CSRF token and come from the console's own origin.
   */
  async authorize(req: IncomingMessage): Promise<Session> {
    const session = this.sessionOf(req);
    if (!session) throw new ConsoleAuthError(401, 'signed-out', 'sign in to continue');
    if (!SAFE_METHODS.has(req.method ?? 'GET')) {
      const site = req.headers['sec-fetch-site'];
      const origin = req.headers.origin;
      if (site === 'cross-site' || (origin && origin !== new URL(this.options.publicUrl).origin)) {
        throw new ConsoleAuthError(403, 'cross-site', 'requests from other sites are refused');
      }
      const header = req.headers['x-csrf-token'];
      if (!sameSecret(Array.isArray(header) ? header[0] : header, session.csrfToken)) {
        throw new ConsoleAuthError(403, 'csrf', 'the request lacks the session’s CSRF token');
      }
    }
    if (session.tokens.expiresAt - REFRESH_MARGIN_MS <= Date.now()) {
      if (!session.tokens.refreshToken) {
        if (session.tokens.expiresAt <= Date.now()) {
          throw new ConsoleAuthError(401, 'session-expired', 'the session has expired; sign in again');
        }
      } else {
        await this.refresh(session);
      }
    }
    return session;
  }

  private async refresh(session: Session): Promise<void> {
    let running = this.refreshing.get(session);
    if (!running) {
      running = this.options.oidc.refresh(session.tokens.refreshToken!, session.tokens);
      this.refreshing.set(session, running);
    }
    try {
      session.tokens = await running;
      session.principal = await this.principalOf(session.tokens);
    } catch (error) {
      this.logger.warn({ msg: 'token refresh failed', error: String(error) });
      throw new ConsoleAuthError(401, 'session-expired', 'the session has expired; sign in again');
    } finally {
      this.refreshing.delete(session);
    }
  }
}
