import { Controller, Global, INestApplication, Injectable, Module, Post } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import request from 'supertest';
import { BUS_HEALTH, BusHealth } from './health';
import { MetricsService } from './metrics';
import { ObservabilityModule } from './observability.module';
import { CapturedLines, startApp } from './spec-utils';

@Injectable()
class Heartbeat {
  constructor(private readonly logger: PinoLogger) {}

  beat(): void {
    this.logger.info('heartbeat');
  }
}

@Controller('events')
class EventsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly logger: PinoLogger,
  ) {}

  @Post()
  receive(): void {
    this.metrics.counter('spec_events_total', 'Events received').inc();
    this.logger.info('event received');
  }
}

class InMemoryBus implements BusHealth {
  readonly name = 'in-process-bus';
  healthy = true;

  isHealthy(): boolean {
    return this.healthy;
  }
}

async function startService(
  serviceName: string,
  out: CapturedLines,
  bus: InMemoryBus,
): Promise<INestApplication> {
  // What the messaging lib would do: a global module exporting the bus health.
  @Global()
  @Module({ providers: [{ provide: BUS_HEALTH, useValue: bus }], exports: [BUS_HEALTH] })
  class BusModule {}

  return startApp({
    imports: [
      BusModule,
      ObservabilityModule.forRoot({ serviceName, logging: { level: 'info', stream: out } }),
    ],
    controllers: [EventsController],
    providers: [Heartbeat],
  });
}

describe('ObservabilityModule: two applications in one process', () => {
  const registryOut = new CapturedLines();
  const recognitionOut = new CapturedLines();
  const registryBus = new InMemoryBus();
  const recognitionBus = new InMemoryBus();
  let registry: INestApplication;
  let recognition: INestApplication;

  beforeAll(async () => {
    registry = await startService('camera-registry', registryOut, registryBus);
    recognition = await startService('recognition', recognitionOut, recognitionBus);
  });

  afterAll(async () => {
    await registry.close();
    await recognition.close();
  });

  it('keeps a registry per application', async () => {
    await request(registry.getHttpServer()).post('/events').expect(201);
    await request(recognition.getHttpServer()).post('/events').expect(201);
    await request(recognition.getHttpServer()).post('/events').expect(201);

    expect(registry.get(MetricsService).registry).not.toBe(recognition.get(MetricsService).registry);
    const registryText = (await request(registry.getHttpServer()).get('/metrics').expect(200)).text;
    const recognitionText = (await request(recognition.getHttpServer()).get('/metrics').expect(200)).text;

    expect(registryText).toContain('spec_events_total{service="camera-registry"} 1');
    expect(registryText).not.toContain('recognition');
    expect(recognitionText).toContain('spec_events_total{service="recognition"} 2');
    expect(recognitionText).not.toContain('camera-registry');
  });

  it('logs each application to its own logger with its own service name, in and out of requests', async () => {
    await request(recognition.getHttpServer()).post('/events').expect(201);
    registry.get(Heartbeat).beat();
    recognition.get(Heartbeat).beat();

    expect(recognitionOut.withMessage('event received').length).toBeGreaterThan(0);
    expect(registryOut.withMessage('heartbeat')).toEqual([
      expect.objectContaining({ service: 'camera-registry' }),
    ]);
    expect(recognitionOut.withMessage('heartbeat')).toEqual([
      expect.objectContaining({ service: 'recognition' }),
    ]);
    expect(registryOut.lines.every((line) => line['service'] === 'camera-registry')).toBe(true);
    expect(recognitionOut.lines.every((line) => line['service'] === 'recognition')).toBe(true);
  });

  it('answers health for each application from its own indicators', async () => {
    recognitionBus.healthy = false;
    try {
      await request(registry.getHttpServer()).get('/health/ready').expect(200);
      const res = await request(recognition.getHttpServer()).get('/health/ready').expect(503);
      expect(res.body.error).toEqual({ 'in-process-bus': { status: 'down', message: 'reported unhealthy' } });
      await request(recognition.getHttpServer()).get('/health/live').expect(200);
    } finally {
      recognitionBus.healthy = true;
    }
  });

  it('logs a failed readiness check through the application logger', async () => {
    recognitionBus.healthy = false;
    try {
      await request(recognition.getHttpServer()).get('/health/ready').expect(503);
    } finally {
      recognitionBus.healthy = true;
    }
    const failure = recognitionOut.lines.find((line) =>
      String(line['msg']).startsWith('Health Check has failed!'),
    );
    expect(failure).toMatchObject({ level: 'error', service: 'recognition' });
  });
});
