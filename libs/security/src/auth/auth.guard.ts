import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { hasAnyRole, type Principal, type Role } from '../principal';
import {
  attachPrincipal,
  bearerToken,
  callKind,
  httpRequest,
  principalFromContext,
  requestPath,
  type CallKind,
  type HttpResponseLike,
} from './call-context';
import { IS_PUBLIC, REQUIRED_ROLES, VIDEO_SYSTEM_AUTH } from './decorators';
import { AuthenticationError, type TokenVerifier } from './jwt-verifier';
import { forbidden, unauthenticated } from './security-errors';

export const TOKEN_VERIFIER = Symbol.for('safecity:security:TOKEN_VERIFIER');
export const AUTH_GUARD_OPTIONS = Symbol.for('safecity:security:AUTH_GUARD_OPTIONS');

/** Probe and scrape endpoints; their controllers live in libs/observability and cannot carry `@Public()`. */
export const DEFAULT_PUBLIC_PATHS: readonly string[] = ['/health/live', '/health/ready', '/metrics'];

export interface AuthGuardOptions {
  /**
   * HTTP paths reachable without a token, matched exactly against the path without query string;
   * an entry ending in `/*` matches everything below it. Default {@link DEFAULT_PUBLIC_PATHS}.
   */
  publicPaths?: readonly string[];
}

/**
 * Global guard (registered by `SecurityModule`): every HTTP and gRPC handler needs a valid bearer
 * token unless marked `@Public()`, listed in `publicPaths`, or `@VideoSystemAuth()` (API keys,
 * checked by `ApiKeyGuard`). `@Roles()` is enforced here too. Bus events pass: they are
 * authenticated by the transport, not per message.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly exact: ReadonlySet<string>;
  private readonly prefixes: readonly string[];

  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
    @Inject(AUTH_GUARD_OPTIONS) options: AuthGuardOptions,
  ) {
    const paths = options.publicPaths ?? DEFAULT_PUBLIC_PATHS;
    this.exact = new Set(paths.filter((p) => !p.endsWith('/*')));
    this.prefixes = paths.filter((p) => p.endsWith('/*')).map((p) => p.slice(0, -1));
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const kind = callKind(context);
    if (kind === 'event') return true;
    if (kind === 'other') throw new Error(`AuthGuard cannot authenticate a ${context.getType()} call`);
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    if (this.reflector.getAllAndOverride<boolean>(VIDEO_SYSTEM_AUTH, targets)) return true;
    if (kind === 'http' && this.isPublicPath(requestPath(httpRequest(context)))) return true;

    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    // Already authenticated on this call: the guard runs twice on gRPC when the microservice also
    // inherits the application's global guards.
    const known = principalFromContext(context);
    if (known) return this.authorize(kind, known, required);

    const response = kind === 'http' ? context.switchToHttp().getResponse<HttpResponseLike>() : undefined;
    let principal: Principal;
    let token: string | undefined;
    try {
      token = bearerToken(context);
      if (!token) throw new AuthenticationError('no bearer token', 'missing');
      principal = await this.verifier.verify(token);
    } catch (error) {
      // Never the token itself, nor a verifier's internal message, in the answer.
      const message = error instanceof AuthenticationError ? error.message : 'token invalid';
      throw unauthenticated(kind, message, response);
    }
    attachPrincipal(context, principal, token);
    return this.authorize(kind, principal, required);
  }

  private authorize(kind: CallKind, principal: Principal, required: Role[] | undefined): boolean {
    if (required && !hasAnyRole(principal, required)) {
      throw forbidden(kind, `requires one of the roles: ${required.join(', ')}`);
    }
    return true;
  }

  private isPublicPath(path: string): boolean {
    return this.exact.has(path) || this.prefixes.some((prefix) => path.startsWith(prefix));
  }
}
