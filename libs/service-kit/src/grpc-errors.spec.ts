import { ConflictException, ForbiddenException, HttpException, NotFoundException } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { status } from '@grpc/grpc-js';
import { ConflictFieldException, UnprocessableFieldException } from './errors';
import { invalidArgument, rethrowAsRpc, rpcErrorOf } from './grpc-errors';

const errorOf = (error: unknown) =>
  (rpcErrorOf(error) as RpcException).getError() as { code: status; message: string };

describe('gRPC errors', () => {
  it('names the field and the reason of an invalid argument', () => {
    expect(invalidArgument('id', 'must be a UUID').getError()).toEqual({
      code: status.INVALID_ARGUMENT,
      message: 'id: must be a UUID',
    });
  });

  it('turns REST refusals into the status the contracts name, keeping field and reason', () => {
    expect(errorOf(new UnprocessableFieldException('regionCode', 'unknown region'))).toEqual({
      code: status.INVALID_ARGUMENT,
      message: 'regionCode: unknown region',
    });
    expect(errorOf(new NotFoundException('incident x not found'))).toEqual({
      code: status.NOT_FOUND,
      message: 'incident x not found',
    });
    expect(errorOf(new ForbiddenException('outside your regions')).code).toBe(status.PERMISSION_DENIED);
    expect(errorOf(new ConflictFieldException('state', 'allowed: verified')).code).toBe(
      status.FAILED_PRECONDITION,
    );
    expect(errorOf(new ConflictException()).code).toBe(status.FAILED_PRECONDITION);
    expect(errorOf(new HttpException('slow down', 429)).code).toBe(status.RESOURCE_EXHAUSTED);
    expect(errorOf(new HttpException('broken', 500)).code).toBe(status.INTERNAL);
  });

  it('answers a stale expectedVersion with ABORTED, so the caller reads again and retries', () => {
    expect(errorOf(new ConflictFieldException('expectedVersion', 'is 3, not 2')).code).toBe(status.ABORTED);
  });

  it('leaves other errors as they are', () => {
    const error = new Error('database gone');
    expect(rpcErrorOf(error)).toBe(error);
    expect(() => rethrowAsRpc(error)).toThrow(error);
  });
});
