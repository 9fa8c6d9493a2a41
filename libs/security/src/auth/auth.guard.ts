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

/** What a handler asks of its callers, from its decorators and its controller's. */
interface HandlerPolicy {
  /** `@Public()` or `@VideoSystemAuth()`: no bearer token needed here. */
  open: boolean;
  roles: Role[] | undefined;
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
  /**
   * Per handler and controller class (a handler can be inherited by controllers with different
   * class-level roles). Decorator metadata is fixed once the classes are defined, so it is read
   * once rather than three lookups on two targets on every call.
   */
  private readonly policies = new WeakMap<object, WeakMap<object, HandlerPolicy>>();

  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
    @Inject(AUTH_GUARD_OPTIONS) options: AuthGuardOptions,
  ) {
    const paths = options.publicPaths ?? DEFAULT_PUBLIC_PATHS;
    this.exact = new Set(paths.filter((p) => !p.endsWith('/*')));
    this.prefixes = paths.filter((p) => p.endsWith('/*')).map((p) => p.slice(0, -1));
  }

  /**
   * Synchronous when the call needs no verification or its token was verified recently: Nest
   * awaits a guard only when it returns a promise, and on the hottest gRPC paths every caller
   * presents the same service token thousands of times a second.
   */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const kind = callKind(context);
    if (kind === 'event') return true;
    if (kind === 'other') throw new Error(`AuthGuard cannot authenticate a ${context.getType()} call`);
    const policy = this.policyOf(context);
    if (policy.open) return true;
    if (kind === 'http' && this.isPublicPath(requestPath(httpRequest(context)))) return true;

    // Already authenticated on this call: the guard runs twice on gRPC when the microservice also
    // inherits the application's global guards.
    const known = principalFromContext(context, kind);
    if (known) return this.authorize(kind, known, policy.roles);

    const response = kind === 'http' ? context.switchToHttp().getResponse<HttpResponseLike>() : undefined;
    let token: string | undefined;
    try {
      token = bearerToken(context, kind);
      if (!token) throw new AuthenticationError('no bearer token', 'missing');
    } catch (error) {
      throw unauthenticated(kind, authenticationMessage(error), response);
    }
    const recent = this.verifier.verifiedRecently?.(token);
    if (recent) return this.admit(context, kind, recent, token, policy.roles);
    return this.verifyAndAdmit(context, kind, token, response, policy.roles);
  }

  private async verifyAndAdmit(
    context: ExecutionContext,
    kind: CallKind,
    token: string,
    response: HttpResponseLike | undefined,
    required: Role[] | undefined,
  ): Promise<boolean> {
    let principal: Principal;
    try {
      principal = await this.verifier.verify(token);
    } catch (error) {
      throw unauthenticated(kind, authenticationMessage(error), response);
    }
    return this.admit(context, kind, principal, token, required);
  }

  private admit(
    context: ExecutionContext,
    kind: CallKind,
    principal: Principal,
    token: string,
    required: Role[] | undefined,
  ): boolean {
    attachPrincipal(context, principal, token, kind);
    return this.authorize(kind, principal, required);
  }

  private policyOf(context: ExecutionContext): HandlerPolicy {
    const handler = context.getHandler();
    const type = context.getClass();
    let byClass = this.policies.get(handler);
    const known = byClass?.get(type);
    if (known) return known;
    const targets = [handler, type];
    const policy: HandlerPolicy = {
      open:
        Boolean(this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) ||
        Boolean(this.reflector.getAllAndOverride<boolean>(VIDEO_SYSTEM_AUTH, targets)),
      roles: this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets),
    };
    if (!byClass) {
      byClass = new WeakMap();
      this.policies.set(handler, byClass);
    }
    byClass.set(type, policy);
    return policy;
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

/** Never the token itself, nor a verifier's internal message, in the answer. */
function authenticationMessage(error: unknown): string {
  return error instanceof AuthenticationError ? error.message : 'token invalid';
}
