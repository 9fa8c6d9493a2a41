import { Controller, Get, Module, Post, Body } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DatabaseError } from 'pg-protocol';
import request from 'supertest';
import { QueryFailedError } from 'typeorm';
import { EdgeExceptionFilter } from './edge-exception.filter';
import { refuseDeeplyNestedJson } from './request-input';

function dataException(): QueryFailedError {
  const driver = Object.assign(
    new DatabaseError('date/time field value out of range: "2009-13-45"', 1, 'error'),
    {
      severity: 'ERROR',
      code: '22008',
    },
  );
  return new QueryFailedError('INSERT INTO subjects (birth_date) VALUES ($1)', ['2009-13-45'], driver);
}

@Controller()
class ProbeController {
  @Get('stored')
  stored(): never {
    throw dataException();
  }

  @Get('broken')
  broken(): never {
    throw new Error('a bug');
  }

  @Post('echo')
  echo(@Body() body: unknown) {
    return body;
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

describe('EdgeExceptionFilter', () => {
  let app: NestExpressApplication;

  beforeAll(async () => {
    app = await NestFactory.create<NestExpressApplication>(ProbeModule, { logger: false, bodyParser: false });
    app.useBodyParser('json', { limit: '1kb', verify: refuseDeeplyNestedJson });
    app.useGlobalFilters(new EdgeExceptionFilter(app.getHttpAdapter()));
    await app.init();
  });

  afterAll(() => app.close());

  it('answers a value the database refuses as data with 400, without the value', async () => {
    const res = await request(app.getHttpServer()).get('/stored').expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'request validation failed',
      problems: [{ field: 'request', reason: expect.any(String) }],
    });
    expect(JSON.stringify(res.body)).not.toContain('2009-13-45');
  });

  it('answers a body it cannot read with a 4xx naming the body, never repeating it', async () => {
    const tooLarge = await request(app.getHttpServer())
      .post('/echo')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ notes: 'x'.repeat(2000) }))
      .expect(413);
    expect(tooLarge.body.problems).toEqual([{ field: 'body', reason: 'must be at most 1024 bytes' }]);
    const deep = await request(app.getHttpServer())
      .post('/echo')
      .set('content-type', 'application/json')
      .send('['.repeat(40) + ']'.repeat(40))
      .expect(400);
    expect(deep.body.problems).toEqual([{ field: 'body', reason: expect.stringMatching(/deeper than 32/) }]);
  });

  it('leaves anything else a 500 that says nothing', async () => {
    const res = await request(app.getHttpServer()).get('/broken').expect(500);
    expect(res.body).toEqual({ statusCode: 500, message: 'Internal server error' });
  });
});
