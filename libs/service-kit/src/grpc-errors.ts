import { Catch, HttpException, Logger, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';
import { RpcException } from '@nestjs/microservices';
import { status } from '@grpc/grpc-js';
import { isDependencyUnavailable } from '@safecity/messaging';
import { DomainError } from './domain-errors/domain-error';
import { rpcExceptionOfDomainError } from './domain-errors/grpc-status';
import { OutageLog } from './outage-log';

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

// One classifier for the platform, shared with the event consumers; re-exported for the services.
export { isDependencyUnavailable };

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
  private readonly outage = new OutageLog(this.logger, 'gRPC calls');

  catch(exception: unknown): Observable<never> {
    const result = grpcStatusOf(exception);
    if (result.code === status.UNAVAILABLE && isDependencyUnavailable(exception)) {
      this.outage.refused(exception);
    } else if (result.code === status.INTERNAL || result.code === status.UNAVAILABLE) {
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
