import { Controller, INestApplication, Post } from '@nestjs/common';
import { register as globalRegistry } from 'prom-client';
import request from 'supertest';
import {
  INCIDENT_SLA_BREACHES_TOTAL,
  MATCHES_TOTAL,
  MetricsModule,
  MetricsService,
  OUTBOX_PENDING,
  PLATFORM_METRICS,
} from './metrics';
import { startApp } from './spec-utils';

@Controller('detections')
class DetectionsController {
  constructor(private readonly metrics: MetricsService) {}

  @Post()
  ingest(): void {
    this.metrics
      .counter('spec_detections_total', 'Detections seen by the spec', ['adapter'])
      .inc({ adapter: 'onvif' });
  }
}

describe('MetricsModule', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await startApp({
      imports: [MetricsModule.forRoot({ serviceName: 'x' })],
      controllers: [DetectionsController],
    });
  });

  afterAll(() => app.close());

  it('serves Prometheus text with the service label and custom metrics on GET /metrics', async () => {
    await request(app.getHttpServer()).post('/detections').expect(201);
    await request(app.getHttpServer()).post('/detections').expect(201);

    const res = await request(app.getHttpServer()).get('/metrics').expect(200);

    expect(res.headers['content-type']).toMatch(/^text\/plain;/);
    expect(res.headers['content-type']).toContain('version=0.0.4');
    expect(res.text).toContain('# TYPE spec_detections_total counter');
    expect(res.text).toMatch(/^spec_detections_total\{adapter="onvif",service="x"\} 2$/m);
    // Process metrics are merged into the scrape and labelled with the service as well.
    expect(res.text).toMatch(/^process_cpu_user_seconds_total\{service="x"\} /m);
    expect(res.text).toMatch(/^nodejs_eventloop_lag_seconds\{service="x"\} /m);
  });

  it('keeps its metrics out of the prom-client global registry', async () => {
    expect(await globalRegistry.metrics()).not.toContain('spec_detections_total');
    expect(app.get(MetricsService).registry).not.toBe(globalRegistry);
  });
});

describe('MetricsService', () => {
  const service = (serviceName = 'incidents', defaultMetrics = false) =>
    new MetricsService({ serviceName, defaultMetrics });

  it('returns the metric already created under a name', () => {
    const metrics = service();
    const first = metrics.counter('spec_total', 'help', ['a']);
    expect(metrics.counter('spec_total', 'other help', ['a'])).toBe(first);
    const gauge = metrics.gauge('spec_gauge', 'help');
    expect(metrics.gauge('spec_gauge', 'help')).toBe(gauge);
    const histogram = metrics.histogram('spec_seconds', 'help', ['op'], [0.1, 1]);
    expect(metrics.histogram('spec_seconds', 'help', ['op'])).toBe(histogram);
  });

  it('refuses a name reused with another type or label set', () => {
    const metrics = service();
    metrics.counter('spec_total', 'help', ['a', 'b']);
    expect(metrics.counter('spec_total', 'help', ['b', 'a'])).toBeDefined();
    expect(() => metrics.gauge('spec_total', 'help', ['a', 'b'])).toThrow(/already exists as a counter/);
    expect(() => metrics.counter('spec_total', 'help', ['a'])).toThrow(/labels \[a, b\]/);
  });

  it('refuses the name of a process metric it merges into the scrape', () => {
    expect(() => service('incidents', true).counter('process_cpu_user_seconds_total', 'help')).toThrow(
      /process metric/,
    );
  });

  it('creates platform metrics with their declared type and labels', async () => {
    const metrics = service();
    metrics.platform(MATCHES_TOTAL).inc({ kind: 'plate', region: 'almaty' });
    metrics.platform(OUTBOX_PENDING).set(3);
    metrics
      .platform(INCIDENT_SLA_BREACHES_TOTAL)
      .inc({ stage: 'acknowledge', priority: 'high', region: 'astana' }, 2);

    const text = await metrics.scrape();
    expect(text).toContain(`# HELP ${MATCHES_TOTAL} ${PLATFORM_METRICS[MATCHES_TOTAL].help}`);
    expect(text).toContain('safecity_matches_total{kind="plate",region="almaty",service="incidents"} 1');
    expect(text).toContain('# TYPE safecity_outbox_pending gauge');
    expect(text).toContain('safecity_outbox_pending{service="incidents"} 3');
    expect(text).toContain(
      'safecity_incident_sla_breaches_total{stage="acknowledge",priority="high",region="astana",service="incidents"} 2',
    );
    expect(metrics.platform(MATCHES_TOTAL)).toBe(
      metrics.counter(MATCHES_TOTAL, 'ignored', ['kind', 'region']),
    );
  });

  it('defines every platform metric name', () => {
    expect(Object.keys(PLATFORM_METRICS).sort()).toEqual([
      'safecity_consumer_dependency_outage',
      'safecity_incident_sla_breaches_total',
      'safecity_ingest_detections_total',
      'safecity_kafka_consumer_lag',
      'safecity_matches_total',
      'safecity_messages_consumed_total',
      'safecity_messages_dead_lettered_total',
      'safecity_messages_retried_total',
      'safecity_outbox_pending',
    ]);
  });

  it('gives each instance its own registry, so the same metric name can live in both', async () => {
    const recognition = service('recognition', true);
    const incidents = service('incidents', true);
    recognition.counter('spec_shared_total', 'help').inc(5);
    incidents.counter('spec_shared_total', 'help').inc(1);

    const [recognitionText, incidentsText] = await Promise.all([recognition.scrape(), incidents.scrape()]);
    expect(recognitionText).toContain('spec_shared_total{service="recognition"} 5');
    expect(recognitionText).not.toContain('service="incidents"');
    expect(incidentsText).toContain('spec_shared_total{service="incidents"} 1');
    expect(incidentsText).toMatch(/^process_resident_memory_bytes\{service="incidents"\} /m);
  });
});
