import { HttpException } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { status } from '@grpc/grpc-js';

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
