import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Principal } from '../principal';
import { OPERATION_POLICY } from '../policy/decorators';
import { refusalOf, type OperationPolicy } from '../policy/operation-policy';
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
import { VIDEO_SYSTEM_AUTH } from './decorators';
import { AuthenticationError, type TokenVerifier } from './jwt-verifier';
import { forbidden, unauthenticated } from './security-errors';

export const TOKEN_VERIFIER = Symbol.for('safecity:security:TOKEN_VERIFIER');
export const AUTH_GUARD_OPTIONS = Symbol.for('safecity:security:AUTH_GUARD_OPTIONS');

/** Probe and scrape endpoints; their controllers live in libs/observability and name no operation. */
export const DEFAULT_PUBLIC_PATHS: readonly string[] = [
  '/health',
  '/health/live',
  '/health/ready',
  '/metrics',
];

export interface AuthGuardOptions {
  /**
   * HTTP paths reachable without a token, matched exactly against the path without query string;
   * an entry ending in `/*` matches everything below it. Default {@link DEFAULT_PUBLIC_PATHS}.
   */
  publicPaths?: readonly string[];
}

/** What a handler asks of its callers, from its decorators and its controller's. */
interface HandlerPolicy {
  /** `@VideoSystemAuth()`: API keys, checked by `ApiKeyGuard`; the use case checks the caller. */
  videoSystems: boolean;
  /** The operation's policy (`@Operation`); a handler without one is never run. */
  policy: OperationPolicy | undefined;
}

/**
 * Global guard (registered by `SecurityModule`): every HTTP and gRPC handler serves an operation
 * (`@Operation(policy)`) and admits exactly the callers its policy names — a bearer token with one
 * of its roles, anyone, or video systems (`@VideoSystemAuth()`, API keys checked by
 * `ApiKeyGuard`). A handler without a policy is refused to everyone; only `publicPaths` (probes,
 * metrics) need none. Bus events pass: they are authenticated by the transport, not per message.
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
    const handler = this.policyOf(context);
    if (kind === 'http' && this.isPublicPath(requestPath(httpRequest(context)))) return true;
    const policy = handler.policy;
    if (!policy) throw forbidden(kind, 'this operation has no authorization policy');
    if (handler.videoSystems) {
      if (policy.callers !== 'video-systems') {
        throw forbidden(kind, `${policy.name} is not an operation of video systems`);
      }
      return true;
    }
    if (policy.callers === 'anyone') return true;

    // Already authenticated on this call: the guard runs twice on gRPC when the microservice also
    // inherits the application's global guards.
    const known = principalFromContext(context, kind);
    if (known) return this.authorize(kind, known, policy);

    const response = kind === 'http' ? context.switchToHttp().getResponse<HttpResponseLike>() : undefined;
    let token: string | undefined;
    try {
      token = bearerToken(context, kind);
      if (!token) throw new AuthenticationError('no bearer token', 'missing');
    } catch (error) {
      throw unauthenticated(kind, authenticationMessage(error), response);
    }
    const recent = this.verifier.verifiedRecently?.(token);
    if (recent) return this.admit(context, kind, recent, token, policy);
    return this.verifyAndAdmit(context, kind, token, response, policy);
  }

  private async verifyAndAdmit(
    context: ExecutionContext,
    kind: CallKind,
    token: string,
    response: HttpResponseLike | undefined,
    policy: OperationPolicy,
  ): Promise<boolean> {
    let principal: Principal;
    try {
      principal = await this.verifier.verify(token);
    } catch (error) {
      throw unauthenticated(kind, authenticationMessage(error), response);
    }
    return this.admit(context, kind, principal, token, policy);
  }

  private admit(
    context: ExecutionContext,
    kind: CallKind,
    principal: Principal,
    token: string,
    policy: OperationPolicy,
  ): boolean {
    attachPrincipal(context, principal, token, kind);
    return this.authorize(kind, principal, policy);
  }

  private policyOf(context: ExecutionContext): HandlerPolicy {
    const handler = context.getHandler();
    const type = context.getClass();
    let byClass = this.policies.get(handler);
    const known = byClass?.get(type);
    if (known) return known;
    const policy: HandlerPolicy = {
      videoSystems: Boolean(this.reflector.getAllAndOverride<boolean>(VIDEO_SYSTEM_AUTH, [handler, type])),
      // On the handler only: an operation is one route or method, never a whole controller.
      policy: this.reflector.get<OperationPolicy | undefined>(OPERATION_POLICY, handler),
    };
    if (!byClass) {
      byClass = new WeakMap();
      this.policies.set(handler, byClass);
    }
    byClass.set(type, policy);
    return policy;
  }

  private authorize(kind: CallKind, principal: Principal, policy: OperationPolicy): boolean {
    const refusal = refusalOf(policy, principal);
    if (refusal !== null) throw forbidden(kind, refusal);
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
