import { Metadata, status } from '@grpc/grpc-js';
import { RpcException } from '@nestjs/microservices';
import {
  ConflictError,
  DomainError,
  DomainErrorCode,
  InvalidError,
  TooFrequentError,
  UnavailableError,
} from './domain-error';

/**
 * Trailing metadata key of a domain error's details on gRPC: UTF-8 JSON of `{ code, problems?,
 * allowed?, retryAfterSeconds? }` (binary, as reasons may be in any script). The status and its
 * message stay what clients already read.
 */
export const GRPC_PROBLEM_METADATA = 'safecity-problem-bin';

const CODE_OF: Record<DomainErrorCode, status> = {
  [DomainErrorCode.NotFound]: status.NOT_FOUND,
  [DomainErrorCode.Conflict]: status.FAILED_PRECONDITION,
  [DomainErrorCode.Invalid]: status.INVALID_ARGUMENT,
  [DomainErrorCode.Forbidden]: status.PERMISSION_DENIED,
  [DomainErrorCode.Unavailable]: status.UNAVAILABLE,
  [DomainErrorCode.TooFrequent]: status.RESOURCE_EXHAUSTED,
};

export interface GrpcProblem {
  code: status;
  message: string;
  metadata: Metadata;
}

/**
 * The gRPC status of a domain error. A conflict over `expectedVersion` is ABORTED: the caller read
 * a stale version and may retry after reading again. The message names the first field and its
 * reason (`field: reason`), as `invalidArgument` does.
 */
export function grpcProblemOf(error: DomainError): GrpcProblem {
  const problems = error instanceof InvalidError || error instanceof ConflictError ? error.problems : [];
  const first = problems[0];
  const code =
    error instanceof ConflictError && first?.field === 'expectedVersion'
      ? status.ABORTED
      : CODE_OF[error.code];
  const details: Record<string, unknown> = { code: error.code };
  if (problems.length > 0) details['problems'] = problems;
  if (error instanceof ConflictError && error.allowed) details['allowed'] = error.allowed;
  if (error instanceof UnavailableError || error instanceof TooFrequentError)
    details['retryAfterSeconds'] = error.retryAfterSeconds;
  const metadata = new Metadata();
  metadata.set(GRPC_PROBLEM_METADATA, Buffer.from(JSON.stringify(details), 'utf8'));
  return { code, message: first ? `${first.field}: ${first.reason}` : error.message, metadata };
}

/** The details a client finds in the trailing metadata of a failed call, if the service sent them. */
export function grpcProblemDetailsOf(metadata: Metadata | undefined): Record<string, unknown> | undefined {
  const [value] = metadata?.get(GRPC_PROBLEM_METADATA) ?? [];
  return Buffer.isBuffer(value) ? (JSON.parse(value.toString('utf8')) as Record<string, unknown>) : undefined;
}

/**
 * The same as an `RpcException` for the gRPC filter: its error is `{ code, message }` as every
 * refusal's is, and the details ride along as `metadata`, which grpc-js sends as trailers (kept
 * off the enumerable members, so the status compares and logs as any other).
 */
export function rpcExceptionOfDomainError(error: DomainError): RpcException {
  const { code, message, metadata } = grpcProblemOf(error);
  const status = { code, message };
  Object.defineProperty(status, 'metadata', { value: metadata, enumerable: false });
  return new RpcException(status);
}
