import { context, propagation, trace } from '@opentelemetry/api';
import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isProbePath } from './probe-paths';
import { shutdownTracing, startTracing } from './tracing';

const OTEL_VARIABLES = [
  'OTEL_SDK_DISABLED',
  'OTEL_TRACES_EXPORTER',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_SERVICE_NAME',
  'OTEL_BSP_SCHEDULE_DELAY',
];

function spanIds(): { traceId: string; recording: boolean } {
  return trace.getTracer('spec').startActiveSpan('work', (span) => {
    const ids = { traceId: span.spanContext().traceId, recording: span.isRecording() };
    span.end();
    return ids;
  });
}

describe('startTracing', () => {
  const saved = new Map(OTEL_VARIABLES.map((name) => [name, process.env[name]]));

  beforeEach(() => {
    for (const name of OTEL_VARIABLES) delete process.env[name];
  });

  afterEach(async () => {
    await shutdownTracing();
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('is idempotent: a second call returns the SDK already running', () => {
    const first = startTracing({ serviceName: 'camera-registry' });
    expect(startTracing({ serviceName: 'recognition' })).toBe(first);
    expect(startTracing({ serviceName: 'camera-registry', serviceVersion: '2.0.0' })).toBe(first);
  });

  it('creates spans with ids and propagates traceparent without any exporter configured', () => {
    startTracing({ serviceName: 'incidents' });

    const { traceId, recording } = spanIds();
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(traceId).not.toBe('0'.repeat(32));
    expect(recording).toBe(true);

    const headers: Record<string, string> = {};
    trace.getTracer('spec').startActiveSpan('publish', (span) => {
      propagation.inject(context.active(), headers);
      span.end();
    });
    expect(headers['traceparent']).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('starts afresh after shutdownTracing', async () => {
    const first = startTracing({ serviceName: 'prevention' });
    await shutdownTracing();
    expect(spanIds().recording).toBe(false);

    const second = startTracing({ serviceName: 'prevention' });
    expect(second).not.toBe(first);
    expect(spanIds().recording).toBe(true);
  });

  it('starts nothing when OTEL_SDK_DISABLED=true', () => {
    process.env['OTEL_SDK_DISABLED'] = 'true';
    startTracing({ serviceName: 'incidents' });
    expect(spanIds()).toEqual({ traceId: '0'.repeat(32), recording: false });
  });

  describe('with an OTLP endpoint', () => {
    let collector: Server;
    let received: Array<{ url: string | undefined; body: string }>;
    let endpoint: string;

    beforeEach(async () => {
      received = [];
      collector = createServer((req: IncomingMessage, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          received.push({ url: req.url, body: Buffer.concat(chunks).toString('utf8') });
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        });
      });
      await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
      endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    });

    afterEach(() => new Promise<void>((resolve) => collector.close(() => resolve())));

    it('exports spans over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
      process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = endpoint;
      startTracing({ serviceName: 'recognition', serviceVersion: '1.2.3' });
      const { traceId } = spanIds();

      await shutdownTracing();

      expect(received).toHaveLength(1);
      expect(received[0]?.url).toBe('/v1/traces');
      const body = received[0]?.body ?? '';
      expect(body).toContain(traceId);
      expect(body).toContain('"stringValue":"recognition"');
      expect(body).toContain('"stringValue":"1.2.3"');
    });

    it('lets OTEL_SERVICE_NAME override the service name', async () => {
      process.env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] = `${endpoint}/v1/traces`;
      process.env['OTEL_SERVICE_NAME'] = 'safecity-all-in-one';
      startTracing({ serviceName: 'recognition' });
      spanIds();

      await shutdownTracing();

      expect(received[0]?.body).toContain('"stringValue":"safecity-all-in-one"');
      expect(received[0]?.body).not.toContain('"stringValue":"recognition"');
    });

    it('exports nothing when OTEL_TRACES_EXPORTER=none, even with an endpoint set', async () => {
      process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = endpoint;
      process.env['OTEL_TRACES_EXPORTER'] = 'none';
      startTracing({ serviceName: 'recognition' });
      expect(spanIds().recording).toBe(true);

      await shutdownTracing();

      expect(received).toEqual([]);
    });
  });
});

describe('isProbePath', () => {
  it.each([
    ['/health/live', true],
    ['/health/ready?verbose=1', true],
    ['/health', true],
    ['/metrics', true],
    ['/metrics?name[]=x', true],
    ['/cameras/42/health', false],
    ['/healthcheck', false],
    ['/api/metrics/summary', false],
    [undefined, false],
  ])('%s -> %s', (url, expected) => {
    expect(isProbePath(url)).toBe(expected);
  });
});
