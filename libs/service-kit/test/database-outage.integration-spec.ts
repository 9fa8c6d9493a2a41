import { Controller, Get, Module } from '@nestjs/common';
import { ObservabilityModule } from '@safecity/observability';
import { createServiceDataSource } from '@safecity/persistence';
import { createTestDatabase, eventually, TcpOutageProxy } from '@safecity/testing';
import { DataSource } from 'typeorm';
import { status } from '@grpc/grpc-js';
import { grpcStatusOf } from '../src/grpc-errors';
import { startServiceApp, type RunningServiceApp } from '../src/service-app';

/** A route whose every answer needs the database, as most of the platform's do. */
@Controller('readings')
class ReadingsController {
  constructor(private readonly ds: DataSource) {}

  @Get()
  async count() {
    const [{ n }] = await this.ds.query('SELECT 1 AS n');
    return { n };
  }
}

/*
 * The database of a service goes away — refusing connections, then answering "the database system
 * is starting up" — and comes back. Meanwhile callers are told 503 with Retry-After (not 500), and
 * the service logs the outage once when it begins and once when it ends, not a line per request.
 */
describe('HTTP during a database outage (real PostgreSQL)', () => {
  let db: { url: string; drop(): Promise<void> };
  let proxy: TcpOutageProxy;
  let ds: DataSource;
  let service: RunningServiceApp;
  const lines: { level: string; msg?: string; refused?: number }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('httpoutage');
    proxy = TcpOutageProxy.forUrl(db.url);
    await proxy.start();
    ds = createServiceDataSource({
      url: proxy.through(db.url),
      schema: 'public',
      entities: [],
      migrations: [],
    });
    await ds.initialize();

    @Module({
      imports: [
        ObservabilityModule.forRoot({
          serviceName: 'outage-test',
          logging: { level: 'info', stream: { write: (line: string) => void lines.push(JSON.parse(line)) } },
        }),
      ],
      controllers: [ReadingsController],
      providers: [{ provide: DataSource, useValue: ds }],
    })
    class OutageTestModule {}

    service = await startServiceApp({
      serviceName: 'outage-test',
      module: OutageTestModule,
      http: { port: 0, host: '127.0.0.1' },
    });
  }, 60_000);

  afterAll(async () => {
    await service?.close();
    await ds?.destroy();
    await proxy?.stop();
    await db?.drop();
  });

  const get = () => fetch(`${service.httpUrl}/readings`);

  it('answers 503 with Retry-After and logs the outage once when it begins and once when it ends', async () => {
    expect((await get()).status).toBe(200);
    const before = lines.length;
    let requests = 0;
    await proxy.cut('refuse');
    for (let i = 0; i < 20; i++, requests++) {
      const response = await get();
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
    }
    // gRPC answers the same failure as UNAVAILABLE.
    expect(grpcStatusOf(await ds.query('SELECT 1').catch((e: unknown) => e)).code).toBe(status.UNAVAILABLE);
    await proxy.cut('starting-up');
    for (let i = 0; i < 10; i++, requests++) expect((await get()).status).toBe(503);
    expect(grpcStatusOf(await ds.query('SELECT 1').catch((e: unknown) => e)).code).toBe(status.UNAVAILABLE);
    const during = lines.slice(before);
    await proxy.restore();
    await eventually(async () => (await get()).status === 200, {
      timeoutMs: 15_000,
      message: 'the database back',
    });

    const errorLines = during.filter((l) => l.level === 'error' || l.level === 'fatal');
    const outageLines = during.filter((l) => /dependency is unavailable/.test(l.msg ?? ''));
    process.stdout.write(
      `during the outage: ${during.length} log lines for ${requests} requests, ${errorLines.length} at error level\n`,
    );
    expect(errorLines).toEqual([]);
    expect(outageLines).toHaveLength(1);
    // Besides the outage's line, one access line per request (as for every request), no more.
    expect(during.length).toBeLessThanOrEqual(requests + 1);
    const ended = await eventually(() => lines.find((l) => /answer again/.test(l.msg ?? '')), {
      timeoutMs: 15_000,
      message: 'the end of the outage logged',
    });
    expect(ended.refused).toBe(requests);
  }, 60_000);
});
