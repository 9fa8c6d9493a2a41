import {
  Server,
  ServerCredentials,
  loadPackageDefinition,
  status,
  Metadata,
  type ServerUnaryCall,
  type sendUnaryData,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import {
  CAMERA_REGISTRY_SERVICE_NAME,
  CameraRegistryGrpc,
  grpcOptions,
  SAFECITY_CAMERAS_V1_PACKAGE_NAME,
} from '@safecity/contracts';
import {
  ResolveExternalCameraUseCase,
  encodeFrozenAnswersOnce,
  resolveAnswerOf,
  startCameraRegistry,
} from '@safecity/camera-registry';
import { hasAnyRole, TOKEN_VERIFIER, type Principal, type TokenVerifier } from '@safecity/security';
import type { RunningServiceApp } from '@safecity/service-kit';
import { InProcessBus } from '@safecity/messaging';
import { freeLoopbackPort, startEmbeddedPostgres } from '@safecity/persistence';
import { createTestIdentity } from '@safecity/testing';
import { option, table } from './infra';

const run$ = promisify(execFile);

function quantiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return { p50: +q(0.5).toFixed(2), p99: +q(0.99).toFixed(2), max: +sorted[sorted.length - 1].toFixed(2) };
}

const CITIES = [
  { region: 'ALA', lat: 43.2389, lon: 76.8897, spread: 0.12 },
  { region: 'AST', lat: 51.1282, lon: 71.4307, spread: 0.1 },
  { region: 'SHY', lat: 42.3417, lon: 69.5901, spread: 0.08 },
  { region: 'AKT', lat: 50.2839, lon: 57.167, spread: 0.06 },
];

const ROOT = join(__dirname, '..');
const RESOLVE_SERVICE = `${SAFECITY_CAMERAS_V1_PACKAGE_NAME}.${CAMERA_REGISTRY_SERVICE_NAME}`;
const GHZ_VERSION = 'v0.120.0';

/**
 * ghz (a Go gRPC load generator) keeps the client's own cost and jitter out of the latencies, which
 * a Node client on the same two cores would not. Installed from the Go module proxy on first use.
 */
async function ghzBinary(): Promise<string> {
  const bin = join(ROOT, '.cache', 'bin');
  const ghz = join(bin, 'ghz');
  if (!existsSync(ghz)) {
    process.stdout.write(`installing ghz ${GHZ_VERSION} into .cache/bin …\n`);
    await run$('go', ['install', `github.com/bojand/ghz/cmd/ghz@${GHZ_VERSION}`], {
      env: { ...process.env, GOBIN: bin },
      timeout: 300_000,
    });
  }
  return ghz;
}

async function loadGenerator(url: string, rate: number, seconds: number, keysFile: string, token: string) {
  const { stdout } = await run$(
    await ghzBinary(),
    [
      '--insecure',
      '--metadata',
      JSON.stringify({ authorization: `Bearer ${token}` }),
      '--proto',
      join(ROOT, 'proto/safecity/cameras/v1/cameras.proto'),
      '--import-paths',
      join(ROOT, 'proto'),
      '--call',
      'safecity.cameras.v1.CameraRegistry/ResolveExternalCamera',
      '--data-file',
      keysFile,
      '--rps',
      String(rate),
      '--duration',
      `${seconds}s`,
      '--concurrency',
      '50',
      '--connections',
      '1',
      '--format',
      'json',
      url,
    ],
    { maxBuffer: 64 << 20, timeout: (seconds + 60) * 1000 },
  );
  const report = JSON.parse(stdout) as {
    count: number;
    rps: number;
    latencyDistribution: { percentage: number; latency: number }[];
    slowest: number;
    statusCodeDistribution: Record<string, number>;
  };
  const at = (p: number) =>
    +((report.latencyDistribution.find((d) => d.percentage === p)?.latency ?? NaN) / 1e6).toFixed(3);
  return {
    requests: report.count,
    achievedPerSecond: Math.round(report.rps),
    // ghz cancels the calls still in flight when the duration ends; those are not failures.
    errors:
      Object.entries(report.statusCodeDistribution)
        .filter(([code]) => code !== 'OK' && code !== 'Canceled' && code !== 'Unavailable')
        .map(([code, n]) => `${n} ${code}`)
        .join(', ') || 0,
    cutAtEnd:
      (report.statusCodeDistribution.Canceled ?? 0) + (report.statusCodeDistribution.Unavailable ?? 0),
    p50: at(50),
    p90: at(90),
    p99: at(99),
    max: +(report.slowest / 1e6).toFixed(3),
  };
}

type Resolve = (
  request: { videoSystemId: string; externalId: string },
  metadata: Metadata,
) => Promise<{ camera: unknown }> | { camera: unknown };

/**
 * A bare grpc-js server (no Nest) for ResolveExternalCamera with the same proto, loader options and
 * serialization as the service; `resolve` is what each baseline does per call.
 */
async function bareGrpcServer(
  resolve: Resolve,
  encodeOnce: boolean,
): Promise<{ url: string; handler: ResolveHandler; stop(): Promise<void> }> {
  const options = grpcOptions(CameraRegistryGrpc);
  const definition = loadSync(options.protoPath, options.loader);
  // As the service does (see startCameraRegistry), for the layers measured on top of the floor.
  if (encodeOnce) encodeFrozenAnswersOnce(definition, RESOLVE_SERVICE, 'ResolveExternalCamera');
  const pkg = loadPackageDefinition(definition) as any;
  const server = new Server();
  const handler = captureResolveHandlers();
  server.addService(pkg.safecity.cameras.v1.CameraRegistry.service, {
    resolveExternalCamera: (
      call: ServerUnaryCall<{ videoSystemId: string; externalId: string }, unknown>,
      cb: sendUnaryData<unknown>,
    ) => {
      Promise.resolve()
        .then(() => resolve(call.request, call.metadata))
        .then(
          (response) => cb(null, response),
          (error: Error & { code?: number }) =>
            cb({ code: error.code ?? status.INTERNAL, details: error.message }),
        );
    },
  });
  const port = await new Promise<number>((ok, fail) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => (e ? fail(e) : ok(p))),
  );
  return {
    url: `127.0.0.1:${port}`,
    handler: handler.done(),
    stop: () => new Promise((ok) => server.tryShutdown(() => ok())),
  };
}

/** A server's ResolveExternalCamera as grpc-js calls it, with the encoder of its answers. */
interface ResolveHandler {
  handle(call: unknown, callback: (error: unknown, value?: unknown) => void): void;
  encode(value: unknown): Buffer;
}

/**
 * Records the ResolveExternalCamera handler that the next grpc-js server gets (Nest builds the
 * service's own inside startServiceApp), so it can be called without a connection.
 */
function captureResolveHandlers(): { done(): ResolveHandler } {
  const addService = Server.prototype.addService;
  let captured: ResolveHandler | undefined;
  Server.prototype.addService = function (this: Server, service, implementation) {
    const method = (service as Record<string, { responseSerialize(v: unknown): Buffer }>)
      .ResolveExternalCamera;
    const handle = (implementation as Record<string, ResolveHandler['handle'] | undefined>)
      .resolveExternalCamera;
    if (method && handle) captured = { handle, encode: (v) => method.responseSerialize(v) };
    return addService.call(this, service, implementation);
  };
  return {
    done() {
      Server.prototype.addService = addService;
      if (!captured) throw new Error('no ResolveExternalCamera handler was registered');
      return captured;
    },
  };
}

function notFound(): Error & { code: number } {
  return Object.assign(new Error('no such camera'), { code: status.NOT_FOUND });
}

/**
 * CPU time per call of a server's ResolveExternalCamera handler, called directly as grpc-js calls
 * it (fresh metadata carrying the token, answer encoded) but without HTTP/2: `inFlight` calls at a
 * time, in passes of `passCalls`; the best and the median pass. A pass lasts a few milliseconds,
 * so the best of many is one no other process on the machine interrupted: a cost per layer that
 * holds on a busy machine, where open-loop tail latencies do not.
 */
async function handlerCost(
  handler: ResolveHandler,
  keys: { videoSystemId: string; externalId: string }[],
  token: string,
  passes: number,
  passCalls = 200,
  inFlight = 16,
): Promise<{ best: number; median: number }> {
  let cursor = 0;
  const pass = () =>
    new Promise<number>((done, fail) => {
      let sent = 0;
      let finished = 0;
      const started = performance.now();
      const send = () => {
        sent++;
        const metadata = new Metadata();
        metadata.set('authorization', `Bearer ${token}`);
        const call = { request: keys[cursor++ % keys.length], metadata, getPeer: () => '127.0.0.1:1' };
        handler.handle(call, (error, value) => {
          if (error) return fail(error);
          handler.encode(value);
          if (++finished === passCalls) return done(((performance.now() - started) * 1000) / passCalls);
          if (sent < passCalls) send();
        });
      };
      for (let i = 0; i < Math.min(inFlight, passCalls); i++) send();
    });
  for (let i = 0; i < 50; i++) await pass();
  const times: number[] = [];
  for (let i = 0; i < passes; i++) times.push(await pass());
  times.sort((x, y) => x - y);
  return { best: +times[0].toFixed(1), median: +times[Math.floor(times.length / 2)].toFixed(1) };
}

/**
 * The servers ResolveExternalCamera is measured on, from the floor up, each adding one layer of
 * the service's path so the difference between neighbouring rows is what that layer costs.
 */
async function resolveServers(
  service: RunningServiceApp,
  grpcUrl: string,
  handler: ResolveHandler,
  keys: { videoSystemId: string; externalId: string }[],
) {
  const resolve = service.app.get(ResolveExternalCameraUseCase);
  // The lookup as a platform service makes it, in every region.
  const platform: Principal = { kind: 'service', subject: 'bench', roles: ['service'], regions: 'all' };
  const verifier = service.app.get<TokenVerifier>(TOKEN_VERIFIER);
  // The very messages the service answers with (same mapper, same cache), so every server encodes
  // the same full Camera.
  const answers = new Map<string, { camera: unknown }>();
  for (const k of keys) {
    const camera = await resolve.execute({ actor: platform, ...k });
    // A fresh (unfrozen) answer object: the floor encodes it on every call.
    answers.set(`${k.videoSystemId}/${k.externalId}`, { camera });
  }
  const lookup = (r: { videoSystemId: string; externalId: string }, actor: Principal) =>
    resolve
      .execute({ actor, videoSystemId: r.videoSystemId, externalId: r.externalId })
      .then(resolveAnswerOf, () => {
        throw notFound();
      });
  // The floor encodes every answer, as any plain grpc-js server does.
  const floor = await bareGrpcServer((r) => {
    const answer = answers.get(`${r.videoSystemId}/${r.externalId}`);
    if (!answer) throw notFound();
    return answer;
  }, false);
  const lookupOnly = await bareGrpcServer((r) => lookup(r, platform), true);
  const withAuth = await bareGrpcServer(async (r, metadata) => {
    const header = String(metadata.get('authorization')[0] ?? '');
    const principal = await verifier.verify(header.replace(/^Bearer +/i, ''));
    if (!hasAnyRole(principal, ['service', 'admin']))
      throw Object.assign(new Error('role'), { code: status.PERMISSION_DENIED });
    return lookup(r, principal);
  }, true);
  return {
    servers: [
      { name: 'camera-registry: Nest gRPC, guard, controller, lookup cache', url: grpcUrl, handler },
      {
        name: 'grpc-js + token check + region scope + lookup cache (no Nest)',
        url: withAuth.url,
        handler: withAuth.handler,
      },
      {
        name: 'grpc-js + lookup cache, every region (no Nest, no auth)',
        url: lookupOnly.url,
        handler: lookupOnly.handler,
      },
      {
        name: 'bare grpc-js, the same full Camera messages from a Map',
        url: floor.url,
        handler: floor.handler,
      },
    ],
    stop: async () => {
      await floor.stop();
      await lookupOnly.stop();
      await withAuth.stop();
    },
  };
}

export async function run(argv: string[]) {
  process.env.LOG_LEVEL ??= 'warn';
  const count = option(argv, 'cameras', 100_000);
  const rate = option(argv, 'rate', 5_000);
  const seconds = option(argv, 'seconds', 10);
  const dir = mkdtempSync(join(tmpdir(), 'safecity-bench-registry-'));
  const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), persistent: false });
  const grpcUrl = `127.0.0.1:${await freeLoopbackPort()}`;
  const ids = await createTestIdentity();
  const admin = await ids.bearer('admin');
  const serviceToken = await ids.token('service');
  const capture = captureResolveHandlers();
  const service = await startCameraRegistry({
    identity: ids.identity,
    databaseUrl: pg.url,
    transport: { kind: 'in-process', bus: new InProcessBus() },
    http: { port: 0 },
    grpcUrl,
    runMigrations: true,
  });
  const serviceHandler = capture.done();
  const sql = new Client({ connectionString: pg.url });
  await sql.connect();
  try {
    process.stdout.write(`camera-registry benchmark: ${count} cameras\n`);
    const systems: string[] = [];
    for (const city of CITIES) {
      const res = await fetch(`${service.httpUrl}/video-systems`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: admin },
        body: JSON.stringify({
          regionCode: city.region,
          name: `${city.region} VMS`,
          vendor: 'other',
          ingestionMethod: 'canonical-push',
        }),
      });
      systems.push(((await res.json()) as { id: string }).id);
    }
    const t0 = performance.now();
    await sql.query('SELECT setseed(0.42)');
    for (const [i, city] of CITIES.entries()) {
      await sql.query(
        `INSERT INTO camera_registry.cameras (region_code, video_system_id, external_id, name, lat, lon, capabilities, tags, lifecycle)
         SELECT $1, $2, 'ch-' || g, 'Camera ' || g, $3 + (random() * 2 - 1) * $5, $4 + (random() * 2 - 1) * $5 * 1.4,
                ARRAY['plates', 'behaviour'], ARRAY['residential'], 'active'
         FROM generate_series(1, $6) g`,
        [city.region, systems[i], city.lat, city.lon, city.spread, Math.floor(count / CITIES.length)],
      );
    }
    await sql.query('ANALYZE camera_registry.cameras');
    process.stdout.write(`seeded in ${Math.round(performance.now() - t0)} ms\n`);

    // Bounding boxes: a few blocks (~1 km) and whole districts (~8 km) around random cameras.
    const { rows } = await sql.query<{
      lat: number;
      lon: number;
      video_system_id: string;
      external_id: string;
    }>('SELECT lat, lon, video_system_id, external_id FROM camera_registry.cameras');
    const boxes: number[][] = [];
    for (let i = 0; i < 300; i++) {
      const c = rows[(i * 7919) % rows.length];
      const half = i % 3 === 0 ? 0.04 : 0.005;
      boxes.push([c.lon - half * 1.4, c.lat - half, c.lon + half * 1.4, c.lat + half]);
    }
    const http: number[] = [];
    let returned = 0;
    for (const b of boxes) {
      const started = performance.now();
      const res = await fetch(`${service.httpUrl}/cameras?bbox=${b.join(',')}&limit=100`, {
        headers: { authorization: admin },
      });
      returned += ((await res.json()) as { items: unknown[] }).items.length;
      http.push(performance.now() - started);
    }
    const sqlIndexed: number[] = [];
    const sqlScan: number[] = [];
    const boxSql = `SELECT id FROM camera_registry.cameras
      WHERE point(lon, lat) <@ box(point($1, $2), point($3, $4)) ORDER BY id LIMIT 100`;
    for (const b of boxes) {
      const started = performance.now();
      await sql.query(boxSql, b);
      sqlIndexed.push(performance.now() - started);
    }
    await sql.query('SET enable_indexscan = off; SET enable_bitmapscan = off');
    for (const b of boxes) {
      const started = performance.now();
      await sql.query(boxSql, b);
      sqlScan.push(performance.now() - started);
    }
    await sql.query('RESET enable_indexscan; RESET enable_bitmapscan');
    const brute: number[] = [];
    let matched = 0;
    for (const [minLon, minLat, maxLon, maxLat] of boxes) {
      const started = performance.now();
      let n = 0;
      for (const r of rows) if (r.lon >= minLon && r.lon <= maxLon && r.lat >= minLat && r.lat <= maxLat) n++;
      matched += n;
      brute.push(performance.now() - started);
    }
    process.stdout.write(
      `\nbounding-box query over ${rows.length} cameras (${boxes.length} boxes, first page of 100; ${returned} returned, ${matched} inside in total)\n`,
    );
    process.stdout.write(
      `${table([
        { path: 'GET /cameras?bbox=… (HTTP, GiST index)', ...quantiles(http) },
        { path: 'SQL only, GiST index', ...quantiles(sqlIndexed) },
        { path: 'SQL only, sequential scan (index off)', ...quantiles(sqlScan) },
        { path: 'brute force: scan of an in-memory array', ...quantiles(brute) },
      ])}\n`,
    );

    // The cameras whose analytics send detections: a region's worth, each resolved about once a
    // second. The load generator's warm-up touches each once.
    const activeCameras = option(argv, 'active', 5_000);
    const keys = Array.from({ length: activeCameras }, (_, i) => {
      const r = rows[(i * 104729) % rows.length];
      return { videoSystemId: r.video_system_id, externalId: r.external_id };
    });
    const keysFile = join(dir, 'keys.json');
    writeFileSync(keysFile, JSON.stringify(keys));
    const rounds = option(argv, 'rounds', 1);
    const { servers, stop } = await resolveServers(service, grpcUrl, serviceHandler, keys);
    const p99s = new Map<string, number[]>(servers.map((s) => [s.name, []]));
    const cpuCosts = new Map<string, number[]>(servers.map((s) => [s.name, []]));
    try {
      // A warm-up pass per server (not reported) fills the lookup cache and the JIT, as in a running
      // system. Rounds interleave the servers so a burst of other load on the machine hits all of them.
      for (const server of servers) await loadGenerator(server.url, rate, 3, keysFile, serviceToken);
      const passes = option(argv, 'passes', 300);
      const costs = [];
      for (const server of servers) {
        const cost = await handlerCost(server.handler, keys, serviceToken, passes);
        costs.push({ server: server.name, 'best µs/call': cost.best, 'median µs/call': cost.median });
      }
      process.stdout.write(
        `\nResolveExternalCamera handlers called in process (no HTTP/2), 16 in flight, best and median of ${passes} passes of 200 calls\n`,
      );
      process.stdout.write(`${table(costs)}\n`);
      for (let round = 1; round <= rounds; round++) {
        const rowsOfRound = [];
        // Each round starts with another server, so none always runs right after the same one.
        const order = servers.map((_, i) => servers[(i + round - 1) % servers.length]);
        for (const server of order) {
          // All servers run in this process and the load generator in its own, so the process's CPU
          // time over a run is what the server spent on its calls: unlike tail latency, it hardly
          // depends on what else the machine is running.
          const cpuBefore = process.cpuUsage();
          const figures = await loadGenerator(server.url, rate, seconds, keysFile, serviceToken);
          const cpu = process.cpuUsage(cpuBefore);
          const cpuPerCall = +((cpu.user + cpu.system) / figures.requests).toFixed(1);
          p99s.get(server.name)?.push(figures.p99);
          cpuCosts.get(server.name)?.push(cpuPerCall);
          rowsOfRound.push({ server: server.name, ...figures, 'cpu µs/call': cpuPerCall });
        }
        process.stdout.write(
          `\nResolveExternalCamera, open loop at ${rate}/s for ${seconds} s, round ${round} of ${rounds} (latency in ms)\n`,
        );
        process.stdout.write(`${table(rowsOfRound)}\n`);
      }
    } finally {
      await stop();
    }
    if (rounds > 1) {
      process.stdout.write(`\nResolveExternalCamera over ${rounds} rounds: medians, and [min – max]\n`);
      process.stdout.write(
        `${table(
          [...p99s].map(([server, values]) => {
            const cpu = cpuCosts.get(server) ?? [];
            return {
              server,
              'p99 ms': `${quantiles(values).p50} [${Math.min(...values)} – ${Math.max(...values)}]`,
              'cpu µs/call': `${quantiles(cpu).p50} [${Math.min(...cpu)} – ${Math.max(...cpu)}]`,
            };
          }),
        )}\n`,
      );
    }
  } finally {
    await sql.end();
    await service.close();
    await pg.stop();
  }
}
