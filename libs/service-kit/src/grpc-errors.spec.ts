import { ConflictException, ForbiddenException, HttpException, NotFoundException } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { status } from '@grpc/grpc-js';
import { ConflictFieldException, UnprocessableFieldException } from './errors';
import {
  grpcStatusOf,
  invalidArgument,
  isDependencyUnavailable,
  rethrowAsRpc,
  rpcErrorOf,
} from './grpc-errors';

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

  it('gives NOT_FOUND only for a refusal about data; an unavailable dependency is UNAVAILABLE, the rest INTERNAL', () => {
    expect(grpcStatusOf(new NotFoundException('camera x not found')).code).toBe(status.NOT_FOUND);
    expect(grpcStatusOf(new RpcException({ code: status.NOT_FOUND, message: 'gone' })).code).toBe(
      status.NOT_FOUND,
    );
    const outages = [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      new Error('Connection terminated unexpectedly'),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      // TypeORM's QueryFailedError keeps the driver's error.
      Object.assign(new Error('query failed'), { driverError: { code: '08006' } }),
      Object.assign(new Error('camera-registry'), { code: status.UNAVAILABLE }),
      Object.assign(new Error('Timeout has occurred'), { name: 'TimeoutError' }),
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
      Object.assign(new Error('Connection error: connect ECONNREFUSED'), { name: 'KafkaJSConnectionError' }),
      // kafkajs gives up after its retries with the broker's error as the cause.
      Object.assign(new Error('Number of retries exceeded'), {
        name: 'KafkaJSNumberOfRetriesExceeded',
        cause: Object.assign(new Error('no leader'), { name: 'KafkaJSProtocolError', retriable: true }),
      }),
    ];
    for (const outage of outages) {
      expect(isDependencyUnavailable(outage)).toBe(true);
      expect(grpcStatusOf(outage)).toEqual({
        code: status.UNAVAILABLE,
        message: 'a dependency of the service is unavailable; retry later',
      });
    }
    for (const bug of [
      new TypeError('x is undefined'),
      Object.assign(new Error('dup'), { code: '23505' }),
      Object.assign(new Error('message too large'), { name: 'KafkaJSProtocolError', retriable: false }),
    ]) {
      expect(isDependencyUnavailable(bug)).toBe(false);
      expect(grpcStatusOf(bug)).toEqual({ code: status.INTERNAL, message: 'internal error' });
    }
  });
});
