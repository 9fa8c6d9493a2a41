import type { ExecutionContext } from '@nestjs/common';
import { BaseRpcContext, RpcException } from '@nestjs/microservices';
import { Metadata, status } from '@grpc/grpc-js';
import type { Principal } from '../principal';
import { AuthenticationError } from './jwt-verifier';

/** The part of an HTTP request (express or not) the security layer reads and writes. */
export interface HttpRequestLike {
  headers: Record<string, string | string[] | undefined>;
  path?: string;
  url?: string;
  principal?: Principal;
}

/** The part of an HTTP response the security layer writes (headers on 401 and 429). */
export interface HttpResponseLike {
  setHeader(name: string, value: string): unknown;
}

/**
 * `event`: a message from the event bus (Kafka or in-process). Those are authenticated by the
 * transport (broker ACLs, the process boundary), not per message, so guards let them through.
 */
export type CallKind = 'http' | 'grpc' | 'event' | 'other';

export function callKind(context: ExecutionContext): CallKind {
  const type = context.getType<string>();
  if (type === 'http') return 'http';
  if (type === 'rpc') {
    // What switchToRpc().getContext() returns, without the two closures switchToRpc() attaches to
    // the context on every call (this runs on every gRPC call, more than once).
    const rpcContext: unknown = context.getArgByIndex(1);
    if (isGrpcMetadata(rpcContext)) return 'grpc';
    if (rpcContext instanceof BaseRpcContext) return 'event';
  }
  return 'other';
}

function isGrpcMetadata(value: unknown): value is Metadata {
  if (value instanceof Metadata) return true;
  // Another copy of @grpc/grpc-js (a nested node_modules) would fail instanceof.
  return (
    typeof value === 'object' &&
    value !== null &&
    value.constructor?.name === 'Metadata' &&
    typeof (value as Metadata).get === 'function' &&
    typeof (value as Metadata).getMap === 'function'
  );
}

// Keyed by the request or the gRPC call's metadata: both live exactly as long as the call.
const principals = new WeakMap<object, Principal>();
// The raw token of a principal, so a handler can relay the caller's identity to another service.
const tokens = new WeakMap<Principal, string>();

export function httpRequest(context: ExecutionContext): HttpRequestLike {
  return context.switchToHttp().getRequest<HttpRequestLike>();
}

export function grpcMetadata(context: ExecutionContext): Metadata {
  return context.getArgByIndex<Metadata>(1);
}

/**
 * The carrier the principal of this call is attached to: the HTTP request or the gRPC metadata.
 * `kind`, when the caller already knows it, saves classifying the call again.
 */
function carrier(context: ExecutionContext, kind: CallKind = callKind(context)): object | undefined {
  switch (kind) {
    case 'http':
      return httpRequest(context);
    case 'grpc':
      return grpcMetadata(context);
    default:
      return undefined;
  }
}

export function attachPrincipal(
  context: ExecutionContext,
  principal: Principal,
  token?: string,
  kind: CallKind = callKind(context),
): void {
  const target = carrier(context, kind);
  if (!target) throw new Error('a principal can only be attached to an HTTP or gRPC call');
  principals.set(target, principal);
  if (token && tokens.get(principal) !== token) tokens.set(principal, token);
  if (kind === 'http') (target as HttpRequestLike).principal = principal;
}

/**
 * Attaches a principal to an HTTP request before Nest sees it: for middleware that must
 * authenticate ahead of the body parsers (a route that reads a large body only for known callers).
 */
export function attachRequestPrincipal(request: HttpRequestLike, principal: Principal): void {
  principals.set(request, principal);
  request.principal = principal;
}

export function principalFromContext(
  context: ExecutionContext,
  kind: CallKind = callKind(context),
): Principal | undefined {
  const target = carrier(context, kind);
  return target ? principals.get(target) : undefined;
}

/**
 * The principal of a call, from its HTTP request or its gRPC metadata: for gRPC handlers written
 * with positional arguments, `(request, metadata)`, rather than parameter decorators.
 */
export function principalOf(requestOrMetadata: HttpRequestLike | Metadata): Principal | undefined {
  return principals.get(requestOrMetadata);
}

/**
 * The authenticated caller of a gRPC handler. The guard has authenticated every call before the
 * handler runs; a call without a principal here is a wiring mistake, refused as UNAUTHENTICATED.
 */
export function grpcCallerOf(metadata: Metadata | undefined): Principal {
  const caller = metadata ? principalOf(metadata) : undefined;
  if (!caller) throw new RpcException({ code: status.UNAUTHENTICATED, message: 'no authenticated caller' });
  return caller;
}

/** The bearer token the principal authenticated with, when it did with one. */
export function bearerTokenOf(principal: Principal): string | undefined {
  return tokens.get(principal);
}

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * The bearer token of the call, undefined without an Authorization header, and an
 * {@link AuthenticationError} for one that is not a single well-formed `Bearer` credential.
 */
export function bearerToken(
  context: ExecutionContext,
  kind: CallKind = callKind(context),
): string | undefined {
  const values = authorizationValues(context, kind);
  if (values.length === 0) return undefined;
  if (values.length > 1) throw new AuthenticationError('more than one Authorization header', 'malformed');
  const match = BEARER.exec(values[0] ?? '');
  if (!match) throw new AuthenticationError('Authorization must be "Bearer <token>"', 'malformed');
  return match[1];
}

export function authorizationValues(context: ExecutionContext, kind: CallKind = callKind(context)): string[] {
  switch (kind) {
    case 'http': {
      const header = httpRequest(context).headers['authorization'];
      return header === undefined ? [] : Array.isArray(header) ? header : [header];
    }
    case 'grpc':
      return grpcMetadata(context)
        .get('authorization')
        .map((value) => (Buffer.isBuffer(value) ? value.toString('utf8') : String(value)));
    default:
      return [];
  }
}

/** Request path without the query string. */
export function requestPath(request: HttpRequestLike): string {
  return request.path ?? (request.url ?? '').split('?', 1)[0] ?? '';
}
