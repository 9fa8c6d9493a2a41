import { Global, INestApplication, Module, Type } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { BUS_HEALTH, BusHealth, HealthModule, QueryableDataSource, READINESS_DATA_SOURCE } from './health';
import { startApp, valueModule } from './spec-utils';

/** An event bus whose health the test decides. */
class InMemoryBus implements BusHealth {
  healthy = true;
  constructor(readonly name = 'bus') {}

  isHealthy(): boolean {
    return this.healthy;
  }
}

class ReachableDatabase implements QueryableDataSource {
  readonly queries: string[] = [];

  async query(sql: string): Promise<unknown> {
    this.queries.push(sql);
    return [{ '?column?': 1 }];
  }
}

class UnreachableDatabase implements QueryableDataSource {
  async query(): Promise<unknown> {
    throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
  }
}

class StalledDatabase implements QueryableDataSource {
  query(): Promise<unknown> {
    return new Promise(() => undefined);
  }
}

describe('HealthModule', () => {
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function start(
    options: Parameters<typeof HealthModule.forRoot>[0],
    extra: Type<unknown>[] = [],
  ): Promise<INestApplication> {
    app = await startApp({ imports: [HealthModule.forRoot({ logger: false, ...options }), ...extra] });
    return app;
  }

  it('answers /health/live and an empty /health/ready with no dependency configured', async () => {
    const server = (await start({})).getHttpServer();
    await request(server).get('/health/live').expect(200, { status: 'ok', info: {}, error: {}, details: {} });
    await request(server)
      .get('/health/ready')
      .expect(200, { status: 'ok', info: {}, error: {}, details: {} });
  });

  it('is ready while database and bus are up, and answers 503 once the bus reports unhealthy', async () => {
    const bus = new InMemoryBus('kafka');
    const database = new ReachableDatabase();
    const server = (
      await start({
        dataSourceToken: 'ORDERS_DB',
        imports: [valueModule('ORDERS_DB', database)],
        indicators: [bus],
      })
    ).getHttpServer();

    const ready = await request(server).get('/health/ready').expect(200);
    expect(ready.body).toEqual({
      status: 'ok',
      info: { database: { status: 'up' }, kafka: { status: 'up' } },
      error: {},
      details: { database: { status: 'up' }, kafka: { status: 'up' } },
    });
    expect(database.queries).toEqual(['SELECT 1']);

    bus.healthy = false;
    const notReady = await request(server).get('/health/ready').expect(503);
    expect(notReady.body).toEqual({
      status: 'error',
      info: { database: { status: 'up' } },
      error: { kafka: { status: 'down', message: 'reported unhealthy' } },
      details: { database: { status: 'up' }, kafka: { status: 'down', message: 'reported unhealthy' } },
    });
    // Liveness does not depend on the bus: restarting the process would not fix the broker.
    await request(server).get('/health/live').expect(200);

    bus.healthy = true;
    await request(server).get('/health/ready').expect(200);
  });

  it('answers 503 when the database query fails', async () => {
    const server = (
      await start({ dataSourceToken: 'DB', imports: [valueModule('DB', new UnreachableDatabase())] })
    ).getHttpServer();

    const res = await request(server).get('/health/ready').expect(503);
    expect(res.body.status).toBe('error');
    expect(res.body.error).toEqual({
      database: { status: 'down', message: 'connect ECONNREFUSED 127.0.0.1:5432' },
    });
  });

  it('counts a database that does not answer within the timeout as down', async () => {
    const server = (
      await start({
        dataSourceToken: 'DB',
        imports: [valueModule('DB', new StalledDatabase())],
        timeoutMs: 50,
      })
    ).getHttpServer();

    const res = await request(server).get('/health/ready').expect(503);
    expect(res.body.error).toEqual({ database: { status: 'down', message: 'timed out after 50 ms' } });
  });

  it('counts a TypeORM DataSource that is not initialized yet as down', async () => {
    const dataSource = new DataSource({ type: 'postgres', host: '127.0.0.1', port: 1 });
    const server = (
      await start({ dataSourceToken: DataSource, imports: [valueModule(DataSource, dataSource)] })
    ).getHttpServer();

    const res = await request(server).get('/health/ready').expect(503);
    expect(res.body.error).toEqual({ database: { status: 'down', message: 'data source not initialized' } });
  });

  it('checks every BUS_HEALTH entry a global module provides, and a bus that throws is down', async () => {
    const producer = new InMemoryBus('kafka-producer');
    const consumer: BusHealth = {
      name: 'kafka-consumer',
      isHealthy: () => {
        throw new Error('consumer group is rebalancing');
      },
    };

    @Global()
    @Module({ providers: [{ provide: BUS_HEALTH, useValue: [producer, consumer] }], exports: [BUS_HEALTH] })
    class MessagingModule {}

    const server = (await start({}, [MessagingModule])).getHttpServer();
    const res = await request(server).get('/health/ready').expect(503);
    expect(res.body.info).toEqual({ 'kafka-producer': { status: 'up' } });
    expect(res.body.error).toEqual({
      'kafka-consumer': { status: 'down', message: 'consumer group is rebalancing' },
    });
  });

  it('finds BUS_HEALTH provided by the root module itself, and one more from another module', async () => {
    const outbox = new InMemoryBus('outbox-relay');
    const kafka = new InMemoryBus('kafka');

    @Module({ providers: [{ provide: BUS_HEALTH, useValue: kafka }] })
    class ConsumersModule {}

    app = await startApp({
      imports: [HealthModule.forRoot({ logger: false }), ConsumersModule],
      providers: [{ provide: BUS_HEALTH, useFactory: () => outbox }],
    });
    const server = app.getHttpServer();
    const res = await request(server).get('/health/ready').expect(200);
    expect(res.body.info).toEqual({ 'outbox-relay': { status: 'up' }, kafka: { status: 'up' } });

    kafka.healthy = false;
    await request(server).get('/health/ready').expect(503);
  });

  it('fails at startup when the configured data source token is provided nowhere', async () => {
    await expect(
      startApp({ imports: [HealthModule.forRoot({ logger: false, dataSourceToken: 'MISSING_DB' })] }),
    ).rejects.toThrow('Readiness is configured with MISSING_DB, which no module of the application provides');
  });

  it('uses a data source provided directly under READINESS_DATA_SOURCE', async () => {
    const database = new ReachableDatabase();

    @Module({ providers: [{ provide: READINESS_DATA_SOURCE, useValue: database }] })
    class PersistenceModule {}

    const server = (await start({}, [PersistenceModule])).getHttpServer();
    const res = await request(server).get('/health/ready').expect(200);
    expect(res.body.info).toEqual({ database: { status: 'up' } });
  });

  it('refuses an indicator token that resolves to something else than a BusHealth', async () => {
    await expect(
      startApp({
        imports: [
          HealthModule.forRoot({
            logger: false,
            indicators: ['ODD'],
            imports: [valueModule('ODD', { up: true })],
          }),
        ],
      }),
    ).rejects.toThrow(/isHealthy/);
  });

  it('stays ready while a dependency it can do without is down, and says so on /health', async () => {
    const bus = new InMemoryBus('bus');
    const outboxed: BusHealth = { name: 'bus', required: false, isHealthy: () => bus.isHealthy() };
    const database = new ReachableDatabase();

    @Module({ providers: [{ provide: READINESS_DATA_SOURCE, useValue: database }] })
    class PersistenceModule {}

    app = await startApp({
      imports: [HealthModule.forRoot({ logger: false }), PersistenceModule],
      providers: [{ provide: BUS_HEALTH, useValue: outboxed }],
    });
    const server = app.getHttpServer();
    await request(server)
      .get('/health')
      .expect(200, {
        status: 'ok',
        checks: { database: { status: 'up', required: true }, bus: { status: 'up', required: false } },
      });

    bus.healthy = false;
    await request(server).get('/health/ready').expect(200);
    await request(server)
      .get('/health')
      .expect(200, {
        status: 'degraded',
        checks: {
          database: { status: 'up', required: true },
          bus: { status: 'down', required: false, message: 'reported unhealthy' },
        },
      });
  });

  it('answers /health 503 "down" when a required check fails, and counts indicators added later', async () => {
    const server = (
      await start({ imports: [valueModule('DB', new UnreachableDatabase())], dataSourceToken: 'DB' })
    ).getHttpServer();
    const { HealthController } = await import('./health');
    let joined = false;
    app!.get(HealthController).addIndicator({ name: 'consumers', required: false, isHealthy: () => joined });
    const res = await request(server).get('/health').expect(503);
    expect(res.body).toEqual({
      status: 'down',
      checks: {
        database: { status: 'down', required: true, message: 'connect ECONNREFUSED 127.0.0.1:5432' },
        consumers: { status: 'down', required: false, message: 'reported unhealthy' },
      },
    });
    joined = true;
    expect((await request(server).get('/health').expect(503)).body.checks.consumers).toEqual({
      status: 'up',
      required: false,
    });
  });
});
