import { Catch, HttpException, Logger, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';
import { RpcException } from '@nestjs/microservices';
import { status } from '@grpc/grpc-js';
import { DomainError } from './domain-errors/domain-error';
import { rpcExceptionOfDomainError } from './domain-errors/grpc-status';

/** A request field that cannot be accepted: INVALID_ARGUMENT naming the field and why. */
export function invalidArgument(field: string, reason: string): RpcException {
  return new RpcException({ code: status.INVALID_ARGUMENT, message: `${field}: ${reason}` });
}

const CODE_OF_HTTP_STATUS: Record<number, status> = {
  400: status.INVALID_ARGUMENT,
  401: status.UNAUTHENTICATED,
  403: status.PERMISSION_DENIED,
  404: status.NOT_FOUND,
  409: status.FAILED_PRECONDITION,
  422: status.INVALID_ARGUMENT,
  429: status.RESOURCE_EXHAUSTED,
};

/**
 * A refusal the services' shared methods throw for REST, as the gRPC status the contracts name
 * for it, with the field and reason when there is one. A conflict over `expectedVersion` is
 * ABORTED: the caller read a stale version and may retry after reading again. Anything that is
 * not a refusal is returned as it is.
 */
export function rpcErrorOf(error: unknown): unknown {
  if (error instanceof DomainError) return rpcExceptionOfDomainError(error);
  if (!(error instanceof HttpException)) return error;
  const body = error.getResponse();
  const problem =
    typeof body === 'object' && body !== null
      ? (body as { problems?: { field: string; reason: string }[] }).problems?.[0]
      : undefined;
  const message = problem ? `${problem.field}: ${problem.reason}` : error.message;
  const code =
    error.getStatus() === 409 && problem?.field === 'expectedVersion'
      ? status.ABORTED
      : (CODE_OF_HTTP_STATUS[error.getStatus()] ?? status.INTERNAL);
  return new RpcException({ code, message });
}

/** For `.catch(rethrowAsRpc)` on a shared method's promise. */
export function rethrowAsRpc(error: unknown): never {
  throw rpcErrorOf(error);
}

/** PostgreSQL classes and codes of a server that cannot serve now (connection, shutdown, resources). */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0[1-4]|58)/;
const UNAVAILABLE_NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connection error|timeout exceeded when trying to connect|Connection is not established|Cannot use a pool after calling end|not currently accepting connections|the database system is (starting up|shutting down)/i;
const RETRIABLE_GRPC = new Set<number>([status.UNAVAILABLE, status.DEADLINE_EXCEEDED]);

/**
 * Whether `error` says a dependency (the database, another service) cannot answer now, rather than
 * anything about the request: such a failure is retried, and never taken for "not found".
 */
export function isDependencyUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { code, message, name } = e as { code?: unknown; message?: unknown; name?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_NETWORK.has(code) || UNAVAILABLE_SQLSTATE.test(code)))
      return true;
    if (typeof code === 'number' && RETRIABLE_GRPC.has(code)) return true;
    if (name === 'TimeoutError') return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
    e = (e as { driverError?: unknown; cause?: unknown }).driverError ?? (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * The gRPC status of anything a gRPC handler throws, for every method of every service: its own
 * `RpcException`s as they are, the shared methods' HTTP refusals as the status the contract names
 * (404 → NOT_FOUND, …), a dependency that cannot answer as UNAVAILABLE, and anything else as
 * INTERNAL. Only a refusal about the request's data ever becomes NOT_FOUND.
 */
export function grpcStatusOf(error: unknown): { code: status; message: string } {
  const mapped = rpcErrorOf(error);
  if (mapped instanceof RpcException) {
    const inner = mapped.getError();
    if (
      typeof inner === 'object' &&
      inner !== null &&
      typeof (inner as { code?: unknown }).code === 'number'
    ) {
      return inner as { code: status; message: string };
    }
    return { code: status.INTERNAL, message: typeof inner === 'string' ? inner : 'internal error' };
  }
  if (isDependencyUnavailable(error)) {
    return { code: status.UNAVAILABLE, message: 'a dependency of the service is unavailable; retry later' };
  }
  return { code: status.INTERNAL, message: 'internal error' };
}

/** Installed on every service's gRPC server: each failure leaves with {@link grpcStatusOf}. */
@Catch()
export class GrpcErrorFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('GrpcErrorFilter');

  catch(exception: unknown): Observable<never> {
    const result = grpcStatusOf(exception);
    if (result.code === status.INTERNAL || result.code === status.UNAVAILABLE) {
      this.logger.error(`gRPC call failed (${status[result.code]}): ${describe(exception)}`);
    }
    return throwError(() => result);
  }
}

/** The error's class and code, never its message: a driver's message may quote the statement's data. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const code = (error as { code?: unknown }).code;
  return `${error.name}${code === undefined ? '' : ` ${String(code)}`}`;
}
