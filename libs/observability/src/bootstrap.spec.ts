import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const workspaceRoot = resolve(__dirname, '../../..');
const fixture = resolve(__dirname, 'fixtures/instrumented-service/main.ts');

interface Report {
  loadedBeforeTracing: string[];
  patched: Record<string, boolean>;
  status: number;
  traceId: string;
  handlerLog?: Record<string, unknown>;
  accessLog?: Record<string, unknown>;
}

// Instrumentation only works in a real Node module system (jest has its own), so a miniature
// service runs in a child process exactly as a service's main.ts would.
describe('a service that imports tracing first', () => {
  let report: Report;

  beforeAll(async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('OTEL_')));
    const { stdout } = await run(process.execPath, ['-r', '@swc-node/register', fixture], {
      cwd: workspaceRoot,
      env: { ...env, NODE_ENV: 'production' },
      timeout: 60_000,
    });
    report = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Report;
  }, 90_000);

  it('has loaded no framework, driver or instrumented library before the SDK starts', () => {
    expect(report.loadedBeforeTracing).toEqual([]);
  });

  it('gets pg, kafkajs and @grpc/grpc-js patched', () => {
    expect(report.patched).toEqual({ pg: true, kafkajs: true, grpc: true });
  });

  it('continues the caller trace over HTTP and writes its ids into the request logs', () => {
    expect(report.status).toBe(200);
    expect(report.handlerLog).toMatchObject({ service: 'fixture', trace_id: report.traceId });
    expect(report.handlerLog?.['span_id']).toMatch(/^[0-9a-f]{16}$/);
    expect(report.accessLog).toMatchObject({ trace_id: report.traceId, res: { statusCode: 200 } });
  });
});
