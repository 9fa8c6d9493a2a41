import { Controller, Get, Inject, Logger, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CONSOLE_SETTINGS, type ConsoleSettings } from '../console-settings';
import { ConsoleAuth, ConsoleAuthError } from './console-auth';
import { cookie, cookieValue, SESSION_COOKIE, SIGN_IN_COOKIE } from './sessions';

const LOCALES = new Set(['ru', 'kk', 'en']);

/** Only paths of the console itself: an open redirect would hand the sign-in to anyone. */
function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/(?!\/)[^\\\s]*$/.test(value) && !value.startsWith('/auth/')
    ? value
    : '/';
}

function problem(res: Response, status: number, code: string, message: string) {
  res.status(status).setHeader('cache-control', 'no-store').json({ statusCode: status, code, message });
}

/**
 * Sign-in and sign-out (OIDC authorization code with PKCE) and what the application may know of
 * its session: who is signed in, with which roles and regions, and the CSRF token. Never a token.
 */
@Controller('auth')
export class AuthController {
  private readonly logger = new Logger('console:sign-in');

  constructor(
    private readonly auth: ConsoleAuth,
    @Inject(CONSOLE_SETTINGS) private readonly settings: ConsoleSettings,
  ) {}

  @Get('login')
  async login(@Req() req: Request, @Res() res: Response) {
    const locale =
      typeof req.query['lang'] === 'string' && LOCALES.has(req.query['lang']) ? req.query['lang'] : undefined;
    let request;
    try {
      request = await this.auth.options.oidc.authorizationRequest(this.auth.redirectUri, locale);
    } catch (error) {
      this.logger.error({ msg: 'identity provider unreachable', error: String(error) });
      return problem(
        res,
        503,
        'identity-provider-unavailable',
        'the identity provider does not answer; try again',
      );
    }
    const id = this.auth.sessions.startSignIn({ request, returnTo: safeReturnTo(req.query['returnTo']) });
    res.setHeader(
      'set-cookie',
      cookie(SIGN_IN_COOKIE, id, { secure: this.auth.secureCookies, maxAgeSeconds: 600, path: '/auth' }),
    );
    res.setHeader('cache-control', 'no-store');
    res.redirect(303, request.url);
  }

  @Get('callback')
  async callback(@Req() req: Request, @Res() res: Response) {
    const pending = this.auth.sessions.takeSignIn(cookieValue(req.headers.cookie, SIGN_IN_COOKIE));
    const clear = cookie(SIGN_IN_COOKIE, '', {
      secure: this.auth.secureCookies,
      maxAgeSeconds: 0,
      path: '/auth',
    });
    res.setHeader('cache-control', 'no-store');
    if (!pending || req.query['state'] !== pending.request.state) {
      res.setHeader('set-cookie', clear);
      return problem(
        res,
        400,
        'sign-in-mismatch',
        'this sign-in was not started here or has expired; start again',
      );
    }
    if (typeof req.query['error'] === 'string') {
      res.setHeader('set-cookie', clear);
      return problem(res, 401, 'sign-in-refused', `the identity provider refused: ${req.query['error']}`);
    }
    try {
      const tokens = await this.auth.options.oidc.exchange(
        String(req.query['code'] ?? ''),
        pending.request,
        this.auth.redirectUri,
      );
      const principal = await this.auth.principalOf(tokens);
      const { id } = this.auth.sessions.create(tokens, principal);
      res.setHeader('set-cookie', [clear, cookie(SESSION_COOKIE, id, { secure: this.auth.secureCookies })]);
      res.redirect(303, pending.returnTo);
    } catch (error) {
      this.logger.warn({ msg: 'sign-in failed', error: String(error) });
      res.setHeader('set-cookie', clear);
      problem(res, 401, 'sign-in-failed', 'the sign-in could not be completed; start again');
    }
  }

  @Get('session')
  session(@Req() req: Request, @Res() res: Response) {
    const session = this.auth.sessionOf(req);
    res.setHeader('cache-control', 'no-store');
    if (!session) return problem(res, 401, 'signed-out', 'not signed in');
    const { principal } = session;
    res.json({
      user: {
        subject: principal.subject,
        name: principal.name ?? principal.subject,
        roles: principal.roles,
        regions: principal.regions,
      },
      csrfToken: session.csrfToken,
      expiresAt: new Date(
        session.tokens.refreshToken
          ? session.lastSeenAt + this.auth.options.idleMinutes * 60_000
          : session.tokens.expiresAt,
      ).toISOString(),
      map: { tileUrl: this.settings.tileUrl ?? null, tileAttribution: this.settings.tileAttribution ?? null },
    });
  }

  @Post('logout')
  async logout(@Req() req: Request, @Res() res: Response) {
    try {
      await this.auth.authorize(req);
    } catch (error) {
      if (
        error instanceof ConsoleAuthError &&
        error.code !== 'signed-out' &&
        error.code !== 'session-expired'
      ) {
        return problem(res, error.status, error.code, error.message);
      }
    }
    const session = this.auth.sessions.destroy(cookieValue(req.headers.cookie, SESSION_COOKIE));
    res.setHeader(
      'set-cookie',
      cookie(SESSION_COOKIE, '', { secure: this.auth.secureCookies, maxAgeSeconds: 0 }),
    );
    const logoutUrl = session?.tokens.idToken
      ? await this.auth.options.oidc
          .logoutUrl(session.tokens.idToken, `${this.auth.options.publicUrl}/`)
          .catch(() => null)
      : null;
    res.setHeader('cache-control', 'no-store');
    res.status(200).json({ signedOut: true, logoutUrl });
  }
}
