import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Principal } from '@safecity/security';
import type { AuthorizationRequest, TokenSet } from './oidc-client';

/** A signed-in person: tokens stay here, the browser holds only the session id in a cookie. */
export interface Session {
  tokens: TokenSet;
  principal: Principal;
  /** Sent by the application in `X-CSRF-Token` with every request that changes something. */
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
}

/** A sign-in started and not yet finished: the PKCE verifier, state and nonce wait here. */
export interface PendingSignIn {
  request: AuthorizationRequest;
  returnTo: string;
  createdAt: number;
}

export const SESSION_COOKIE = 'safecity_console';
export const SIGN_IN_COOKIE = 'safecity_console_signin';
const SIGN_IN_TTL_MS = 10 * 60_000;
const MAX_PENDING_SIGN_INS = 10_000;

/** Session ids are looked up by their hash: a dump of the map does not hand out cookies. */
const keyOf = (id: string) => createHash('sha256').update(id).digest('base64url');

export function sameSecret(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Sessions in this process's memory. A session ends at sign-out, after `idleMs` without a
 * request, or when its tokens expire and cannot be refreshed. Several console instances need
 * sticky routing (or one instance): a session lives where it was created.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly pending = new Map<string, PendingSignIn>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly idleMs: number) {
    this.timer = setInterval(() => this.sweep(), 60_000);
    this.timer.unref();
  }

  close() {
    clearInterval(this.timer);
  }

  get size(): number {
    return this.sessions.size;
  }

  create(tokens: TokenSet, principal: Principal): { id: string; session: Session } {
    const id = randomBytes(32).toString('base64url');
    const now = Date.now();
    const session: Session = {
      tokens,
      principal,
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: now,
      lastSeenAt: now,
    };
    this.sessions.set(keyOf(id), session);
    return { id, session };
  }

  /** The live session of a cookie value, touched; undefined when there is none or it has ended. */
  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const key = keyOf(id);
    const session = this.sessions.get(key);
    if (!session) return undefined;
    const now = Date.now();
    if (
      now - session.lastSeenAt > this.idleMs ||
      (!session.tokens.refreshToken && session.tokens.expiresAt <= now)
    ) {
      this.sessions.delete(key);
      return undefined;
    }
    session.lastSeenAt = now;
    return session;
  }

  destroy(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const key = keyOf(id);
    const session = this.sessions.get(key);
    this.sessions.delete(key);
    return session;
  }

  startSignIn(pending: Omit<PendingSignIn, 'createdAt'>): string {
    const id = randomBytes(24).toString('base64url');
    while (this.pending.size >= MAX_PENDING_SIGN_INS) this.pending.delete(this.pending.keys().next().value!);
    this.pending.set(keyOf(id), { ...pending, createdAt: Date.now() });
    return id;
  }

  /** The sign-in of a cookie value, removed: a callback is accepted once. */
  takeSignIn(id: string | undefined): PendingSignIn | undefined {
    if (!id) return undefined;
    const key = keyOf(id);
    const pending = this.pending.get(key);
    this.pending.delete(key);
    if (!pending || Date.now() - pending.createdAt > SIGN_IN_TTL_MS) return undefined;
    return pending;
  }

  private sweep() {
    const now = Date.now();
    for (const [key, session] of this.sessions) {
      if (now - session.lastSeenAt > this.idleMs) this.sessions.delete(key);
    }
    for (const [key, pending] of this.pending) {
      if (now - pending.createdAt > SIGN_IN_TTL_MS) this.pending.delete(key);
    }
  }
}

/** Reads one cookie from a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export interface CookieOptions {
  secure: boolean;
  maxAgeSeconds?: number;
  path?: string;
}

/**
 * httpOnly (scripts never read it), SameSite=Lax (not sent with cross-site subrequests or POSTs;
 * sent on the top-level navigation back from the identity provider, which the sign-in needs), Secure
 * behind HTTPS.
 */
export function cookie(name: string, value: string, options: CookieOptions): string {
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${options.path ?? '/'}`,
    'HttpOnly',
    'SameSite=Lax',
  ];
  if (options.secure) parts.push('Secure');
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${options.maxAgeSeconds}`);
  return parts.join('; ');
}
