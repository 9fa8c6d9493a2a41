import { Controller, Get, INestApplication, Injectable } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import { Logger, PinoLogger } from 'nestjs-pino';
import { DatabaseError } from 'pg-protocol';
import request from 'supertest';
import { QueryFailedError } from 'typeorm';
import { createServiceLogger, resolveLogLevel } from './logging';
import { ObservabilityModule } from './observability.module';
import { CapturedLines, startApp } from './spec-utils';
import { shutdownTracing, startTracing } from './tracing';

@Injectable()
class DispatchWorker {
  constructor(private readonly logger: PinoLogger) {
    logger.setContext(DispatchWorker.name);
  }

  dispatch(unit: string): void {
    this.logger.info({ unit }, 'unit dispatched');
  }
}

@Controller('incidents')
class IncidentsController {
  constructor(private readonly worker: DispatchWorker) {}

  @Get()
  list(): string[] {
    this.worker.dispatch('patrol-7');
    return [];
  }
}

describe('logging', () => {
  const out = new CapturedLines();
  let app: INestApplication;

  beforeAll(async () => {
    startTracing({ serviceName: 'incidents' });
    app = await startApp({
      imports: [
        ObservabilityModule.forRoot({ serviceName: 'incidents', logging: { level: 'info', stream: out } }),
      ],
      controllers: [IncidentsController],
      providers: [DispatchWorker],
    });
  });

  afterAll(async () => {
    await app.close();
    await shutdownTracing();
  });

  beforeEach(() => out.lines.splice(0));

  it('adds trace_id and span_id of the active span', () => {
    const worker = app.get(DispatchWorker);
    const ids = trace.getTracer('spec').startActiveSpan('dispatch', (span) => {
      worker.dispatch('ambulance-3');
      span.end();
      return span.spanContext();
    });

    const [line] = out.withMessage('unit dispatched');
    expect(line).toMatchObject({
      level: 'info',
      service: 'incidents',
      context: 'DispatchWorker',
      unit: 'ambulance-3',
      trace_id: ids.traceId,
      span_id: ids.spanId,
    });
    expect(typeof line?.['time']).toBe('string');
    expect(Number.isNaN(Date.parse(String(line?.['time'])))).toBe(false);
  });

  it('has no trace fields outside a span', () => {
    app.get(DispatchWorker).dispatch('fire-1');

    const [line] = out.withMessage('unit dispatched');
    expect(line).toMatchObject({ service: 'incidents', unit: 'fire-1' });
    expect(line).not.toHaveProperty('trace_id');
    expect(line).not.toHaveProperty('span_id');
  });

  it('logs requests as JSON with credentials redacted and the request id echoed', async () => {
    const res = await request(app.getHttpServer())
      .get('/incidents')
      .set('Authorization', 'Bearer eyJhbGciOiJSUzI1NiJ9.secret')
      .set('X-Api-Key', 'vms-key-123')
      .set('Cookie', 'session=abc')
      .set('X-Request-Id', 'gw-42')
      .expect(200);

    expect(res.headers['x-request-id']).toBe('gw-42');
    const [access] = out.withMessage('request completed');
    expect(access).toMatchObject({
      level: 'info',
      service: 'incidents',
      req: {
        id: 'gw-42',
        method: 'GET',
        url: '/incidents',
        headers: { authorization: '[REDACTED]', 'x-api-key': '[REDACTED]', cookie: '[REDACTED]' },
      },
      res: { statusCode: 200 },
    });
    expect(JSON.stringify(out.lines)).not.toMatch(/secret|vms-key-123|session=abc/);
    // Logs made while handling the request carry the request id.
    expect(out.withMessage('unit dispatched')[0]).toMatchObject({ req: { id: 'gw-42' } });
  });

  it('logs the path of a request, never its query, and no X-Purpose', async () => {
    await request(app.getHttpServer())
      .get('/incidents?plate=777ABC02&name=%D0%90%D0%B9%D0%B3%D0%B5%D1%80%D0%B8%D0%BC')
      .set('X-Purpose', 'check on Aigerim N.')
      .expect(200);

    const [access] = out.withMessage('request completed');
    expect(access).toMatchObject({
      req: { method: 'GET', url: '/incidents', headers: { 'x-purpose': '[REDACTED]' } },
    });
    expect(access?.['req']).not.toHaveProperty('query');
    expect(JSON.stringify(out.lines)).not.toMatch(/777ABC02|plate=|Aigerim|Айгерим/);
  });

  it('logs a failed statement without its parameters or the refused row', () => {
    const driver = Object.assign(
      new DatabaseError('duplicate key value violates unique constraint "subjects_iin"', 1, 'error'),
      {
        severity: 'ERROR',
        code: '23505',
        detail: 'Key (identifier)=(090417600123) already exists.',
        table: 'subjects',
        constraint: 'subjects_iin',
      },
    );
    const failed = new QueryFailedError(
      'INSERT INTO subjects (name, identifier) VALUES ($1, $2)',
      ['Айгерим Нурланова', '090417600123'],
      driver,
    );
    // As Nest's ExceptionsHandler and RpcExceptionsHandler log what they cannot map.
    app.get(Logger).error(failed);
    createServiceLogger({ serviceName: 'incidents', level: 'info', stream: out }).error(
      { error: failed },
      'event handler failed',
    );

    const text = JSON.stringify(out.lines);
    expect(out.lines.length).toBeGreaterThanOrEqual(2);
    expect(text).toContain('subjects_iin');
    expect(text).toContain('23505');
    expect(text).not.toMatch(/090417600123|Айгерим|parameters|INSERT/);
  });

  it('replaces a request id that is not a plain token', async () => {
    const res = await request(app.getHttpServer())
      .get('/incidents')
      .set('X-Request-Id', '"><script>x</script>')
      .expect(200);

    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.withMessage('request completed')[0]).toMatchObject({
      req: { id: res.headers['x-request-id'] },
    });
  });

  it('logs client errors as warn', async () => {
    await request(app.getHttpServer()).get('/nowhere').expect(404);
    expect(out.withMessage('request completed')[0]).toMatchObject({
      level: 'warn',
      res: { statusCode: 404 },
    });
  });

  it('does not log probe and scrape requests', async () => {
    const server = app.getHttpServer();
    await request(server).get('/health/live').expect(200);
    await request(server).get('/health/ready').expect(200);
    await request(server).get('/metrics').expect(200);
    await request(server).get('/incidents').expect(200);

    const urls = out.withMessage('request completed').map((line) => (line['req'] as { url: string }).url);
    expect(urls).toEqual(['/incidents']);
  });

  it('redacts credential headers a caller logs itself', () => {
    const logger = createServiceLogger({ serviceName: 'recognition', level: 'info', stream: out });
    logger.info({ headers: { authorization: 'Basic dXNlcjpwYXNz', accept: 'json' } }, 'vendor call');
    logger.info({ upstream: { headers: { 'x-api-key': 'k' } } }, 'vendor call');

    const [first, second] = out.withMessage('vendor call');
    expect(first).toMatchObject({
      service: 'recognition',
      headers: { authorization: '[REDACTED]', accept: 'json' },
    });
    expect(second).toMatchObject({ upstream: { headers: { 'x-api-key': '[REDACTED]' } } });
  });
});

describe('resolveLogLevel', () => {
  const saved = { LOG_LEVEL: process.env['LOG_LEVEL'], NODE_ENV: process.env['NODE_ENV'] };

  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('defaults to info, and to silent under NODE_ENV=test', () => {
    delete process.env['LOG_LEVEL'];
    process.env['NODE_ENV'] = 'production';
    expect(resolveLogLevel()).toBe('info');
    process.env['NODE_ENV'] = 'test';
    expect(resolveLogLevel()).toBe('silent');
  });

  it('takes LOG_LEVEL, also in tests, and an explicit level over both', () => {
    process.env['NODE_ENV'] = 'test';
    process.env['LOG_LEVEL'] = 'DEBUG';
    expect(resolveLogLevel()).toBe('debug');
    expect(resolveLogLevel('warn')).toBe('warn');
  });

  it('rejects an unknown level', () => {
    process.env['LOG_LEVEL'] = 'verbose';
    expect(() => resolveLogLevel()).toThrow('Unknown log level "verbose"');
  });
});
