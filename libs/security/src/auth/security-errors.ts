import { ForbiddenException, HttpException, HttpStatus, UnauthorizedException } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { status } from '@grpc/grpc-js';
import type { CallKind, HttpResponseLike } from './call-context';

// Guards throw the error of their transport: an HttpException in a gRPC handler would reach the
// client as UNKNOWN "Internal server error" instead of UNAUTHENTICATED / PERMISSION_DENIED.

export function unauthenticated(
  kind: CallKind,
  message: string,
  response?: HttpResponseLike,
  scheme = 'Bearer realm="safecity", error="invalid_token"',
): Error {
  if (kind === 'grpc') return new RpcException({ code: status.UNAUTHENTICATED, message });
  response?.setHeader('WWW-Authenticate', scheme);
  return new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message });
}

export function forbidden(kind: CallKind, message: string): Error {
  if (kind === 'grpc') return new RpcException({ code: status.PERMISSION_DENIED, message });
  return new ForbiddenException({ statusCode: 403, error: 'Forbidden', message });
}

export function tooManyRequests(
  kind: CallKind,
  message: string,
  retryAfterSeconds: number,
  response?: HttpResponseLike,
): Error {
  if (kind === 'grpc') return new RpcException({ code: status.RESOURCE_EXHAUSTED, message });
  response?.setHeader('Retry-After', String(retryAfterSeconds));
  return new HttpException(
    { statusCode: 429, error: 'Too Many Requests', message, retryAfterSeconds },
    HttpStatus.TOO_MANY_REQUESTS,
  );
}
