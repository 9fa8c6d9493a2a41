import { Controller, Get, Module, NotFoundException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { status } from '@grpc/grpc-js';
import { lastValueFrom } from 'rxjs';
import request from 'supertest';
import {
  EventErrorPassthroughFilter,
  isDependencyUnavailable,
  NonRetriableEventError,
} from '@safecity/messaging';
import { EdgeExceptionFilter } from '../edge-exception.filter';
import { ConflictFieldException, UnprocessableFieldException } from '../errors';
import { GrpcErrorFilter } from '../grpc-errors';
import {
  ConflictError,
  InvalidError,
  NotFoundError,
  UnavailableError,
  TooFrequentError,
  type DomainError,
} from './domain-error';
import { grpcProblemDetailsOf } from './grpc-status';

@Controller()
class ProbeController {
  @Get('cameras/:id')
  missing(): never {
    throw new NotFoundError('camera 7 not found');
  }

  @Get('steps')
  conflict(): never {
    throw new ConflictError('a closed incident cannot become verified', {
      field: 'to',
      allowed: ['reopened'],
    });
  }

  @Get('invalid')
  invalid(): never {
    throw new InvalidError([
      { field: 'location', reason: 'lies outside region ALA' },
      { field: 'districtCode', reason: 'no district X in region ALA' },
    ]);
  }

  @Get('malformed')
  malformed(): never {
    throw new InvalidError({ field: 'bbox', reason: 'min < max' }, { malformed: true });
  }

  @Get('unavailable')
  unavailable(): never {
    throw new UnavailableError('the camera directory cannot answer', { retryAfterSeconds: 7 });
  }

  @Get('too-frequent')
  tooFrequent(): never {
    throw new TooFrequentError('too many reports from this citizen', { retryAfterSeconds: 11 });
  }

  @Get('legacy-helper')
  legacyHelper(): never {
    throw new UnprocessableFieldException('regionCode', 'unknown region XYZ');
  }

  @Get('legacy-http')
  legacyHttp(): never {
    throw new NotFoundException('camera 8 not found');
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

describe('domain errors over HTTP', () => {
  let app: NestExpressApplication;

  beforeAll(async () => {
    app = await NestFactory.create<NestExpressApplication>(ProbeModule, { logger: false });
    app.useGlobalFilters(new EdgeExceptionFilter(app.getHttpAdapter()));
    await app.init();
  });

  afterAll(() => app.close());

  it('answers not found as an RFC 9457 problem that keeps the members clients read', async () => {
    const res = await request(app.getHttpServer()).get('/cameras/7?q=secret').expect(404);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.body).toEqual({
      type: 'urn:safecity:problem:not-found',
      title: 'Not Found',
      status: 404,
      detail: 'camera 7 not found',
      instance: '/cameras/7',
      statusCode: 404,
      error: 'Not Found',
      message: 'camera 7 not found',
    });
  });

  it('names the allowed steps of a conflict and every problem of an invalid command', async () => {
    const conflict = await request(app.getHttpServer()).get('/steps').expect(409);
    expect(conflict.body).toMatchObject({
      type: 'urn:safecity:problem:conflict',
      problems: [{ field: 'to', reason: 'a closed incident cannot become verified' }],
      allowed: ['reopened'],
    });
    const invalid = await request(app.getHttpServer()).get('/invalid').expect(422);
    expect(invalid.body.problems).toHaveLength(2);
    expect(invalid.body.message).toBe('lies outside region ALA; no district X in region ALA');
    const malformed = await request(app.getHttpServer()).get('/malformed').expect(400);
    expect(malformed.body).toMatchObject({ title: 'Bad Request', message: 'request validation failed' });
  });

  it('answers a caller over its allowance 429 with when to try again', async () => {
    const res = await request(app.getHttpServer()).get('/too-frequent').expect(429);
    expect(res.headers['retry-after']).toBe('11');
    expect(res.body).toMatchObject({
      type: 'urn:safecity:problem:too-frequent',
      title: 'Too Many Requests',
      retryAfterSeconds: 11,
    });
  });

  it('tells the caller of an outage when to retry', async () => {
    const res = await request(app.getHttpServer()).get('/unavailable').expect(503);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.body).toMatchObject({ type: 'urn:safecity:problem:unavailable', retryAfterSeconds: 7 });
  });

  it('answers the earlier helpers as before, with the problem members added', async () => {
    const res = await request(app.getHttpServer()).get('/legacy-helper').expect(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'unknown region XYZ',
      problems: [{ field: 'regionCode', reason: 'unknown region XYZ' }],
      type: 'urn:safecity:problem:invalid',
    });
  });

  it('leaves HTTP exceptions not yet moved to domain errors as they were', async () => {
    const res = await request(app.getHttpServer()).get('/legacy-http').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'camera 8 not found' });
  });
});

describe('domain errors over gRPC', () => {
  const grpcOf = (error: DomainError) =>
    lastValueFrom(new GrpcErrorFilter().catch(error)).catch(
      (e: { code: status; message: string; metadata: never }) => e,
    );

  it('gives each code its status, the field and reason in the message and the details as trailers', async () => {
    const invalid = await grpcOf(new UnprocessableFieldException('regionCode', 'unknown region XYZ'));
    expect(invalid).toEqual({ code: status.INVALID_ARGUMENT, message: 'regionCode: unknown region XYZ' });
    expect(grpcProblemDetailsOf(invalid.metadata)).toEqual({
      code: 'invalid',
      problems: [{ field: 'regionCode', reason: 'unknown region XYZ' }],
    });
    expect((await grpcOf(new NotFoundError('camera 7 not found'))).code).toBe(status.NOT_FOUND);
    const conflict = await grpcOf(new ConflictError('closed', { field: 'to', allowed: ['reopened'] }));
    expect(conflict.code).toBe(status.FAILED_PRECONDITION);
    expect(grpcProblemDetailsOf(conflict.metadata)).toMatchObject({ allowed: ['reopened'] });
    expect((await grpcOf(new ConflictFieldException('expectedVersion', 'is 3, not 2'))).code).toBe(
      status.ABORTED,
    );
    const outage = await grpcOf(new UnavailableError('down', { retryAfterSeconds: 3 }));
    expect(outage.code).toBe(status.UNAVAILABLE);
    expect(grpcProblemDetailsOf(outage.metadata)).toEqual({ code: 'unavailable', retryAfterSeconds: 3 });
    const flood = await grpcOf(new TooFrequentError('too many', { retryAfterSeconds: 4 }));
    expect(flood.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(grpcProblemDetailsOf(flood.metadata)).toEqual({ code: 'too-frequent', retryAfterSeconds: 4 });
  });
});

describe('domain errors in event handlers', () => {
  const eventFailureOf = (error: unknown) =>
    lastValueFrom(new EventErrorPassthroughFilter().catch(error)).catch((e: unknown) => e);

  it('dead-letters a refusal of the data at once and retries an outage', async () => {
    const invalid = new InvalidError({ field: 'cameraId', reason: 'must be a UUID' });
    const refused = await eventFailureOf(invalid);
    expect(refused).toBeInstanceOf(NonRetriableEventError);
    expect((refused as Error).cause).toBe(invalid);
    expect(await eventFailureOf(new NotFoundError('camera 7 not found'))).toBeInstanceOf(
      NonRetriableEventError,
    );
    const outage = new UnavailableError('database down');
    expect(await eventFailureOf(outage)).toBe(outage);
    // Over an allowance is neither bad data nor an outage: the same event is handled later.
    const tooFrequent = new TooFrequentError('too many', { retryAfterSeconds: 1 });
    expect(await eventFailureOf(tooFrequent)).toBe(tooFrequent);
    const unknown = new Error('a bug');
    expect(await eventFailureOf(unknown)).toBe(unknown);
    // An outage a use case declares is waited out like a database that is down, never dead-lettered.
    expect(isDependencyUnavailable(outage)).toBe(true);
    expect(isDependencyUnavailable(invalid)).toBe(false);
  });
});
