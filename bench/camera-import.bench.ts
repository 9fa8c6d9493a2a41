import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startCameraRegistry } from '@safecity/camera-registry';
import { InProcessBus } from '@safecity/messaging';
import { createIsolatedDatabase, freeLoopbackPort, startEmbeddedPostgres } from '@safecity/persistence';
import { createTestIdentity } from '@safecity/testing';
import { option, rate, seededRandom, table } from './infra';

// Almaty's districts with envelopes inside the ones the registry seeds.
const DISTRICTS = [
  { code: 'ALA-ALMALY', name: 'Almaly', box: [76.885, 43.235, 76.955, 43.275] },
  { code: 'ALA-AUEZOV', name: 'Auezov', box: [76.805, 43.195, 76.895, 43.245] },
  { code: 'ALA-BOSTANDYK', name: 'Bostandyk', box: [76.865, 43.155, 76.965, 43.235] },
  { code: 'ALA-ZHETYSU', name: 'Zhetysu', box: [76.905, 43.265, 76.995, 43.335] },
  { code: 'ALA-MEDEU', name: 'Medeu', box: [76.935, 43.175, 77.05, 43.295] },
  { code: 'ALA-ALATAU', name: 'Alatau', box: [76.755, 43.205, 76.915, 43.355] },
  { code: 'ALA-NAURYZBAY', name: 'Nauryzbay', box: [76.705, 43.155, 76.855, 43.235] },
  { code: 'ALA-TURKSIB', name: 'Turksib', box: [76.925, 43.285, 77.095, 43.415] },
] as const;
const STREETS = [
  'Abay Ave',
  'Dostyk Ave',
  'Al-Farabi Ave',
  'Tole Bi St',
  'Raiymbek Ave',
  'Satpayev St',
  'Zhandosov St',
  'Nazarbayev Ave',
  'Seifullin Ave',
  'Rozybakiev St',
  'Gagarin Ave',
  'Timiryazev St',
  'Zheltoksan St',
  'Kabanbay Batyr St',
  'Suyunbay Ave',
  'Momyshuly St',
];
const CORNERS = ['NE corner', 'NW corner', 'SE corner', 'SW corner', 'mid-block', 'bus stop'];
const TAGS = ['school', 'transport-hub', 'market', 'park', 'hospital', 'mall', 'crossroads', 'stadium'];
const MOUNTS = ['pole', 'pole', 'pole', 'wall', 'wall', 'ceiling', 'vehicle', 'other'];
const CAPABILITIES = ['plates', 'faces', 'behaviour', 'ptz'];
const LIFECYCLES = [...Array(18).fill('active'), 'planned', 'maintenance'];

interface Camera {
  external_id: string;
  name: string;
  lat: number;
  lon: number;
  address: string;
  district_code: string;
  direction_deg: number;
  field_of_view_deg: number;
  mount_type: string;
  capabilities: string[];
  tags: string[];
  lifecycle: string;
}

function inventory(count: number): Camera[] {
  const r = seededRandom(20261125);
  const pick = <T>(list: readonly T[]) => list[Math.floor(r() * list.length)];
  const some = (list: string[], p: number) => list.filter(() => r() < p);
  return Array.from({ length: count }, (_, i) => {
    const district = pick(DISTRICTS);
    const [minLon, minLat, maxLon, maxLat] = district.box;
    const street = pick(STREETS);
    return {
      external_id: `NVR${String(Math.floor(i / 64) + 1).padStart(3, '0')}-ch${(i % 64) + 1}`,
      name: `${street} / ${pick(STREETS)}, ${pick(CORNERS)}`,
      lat: +(minLat + r() * (maxLat - minLat)).toFixed(6),
      lon: +(minLon + r() * (maxLon - minLon)).toFixed(6),
      address: `${street} ${1 + Math.floor(r() * 300)}, ${district.name} district, Almaty`,
      district_code: district.code,
      direction_deg: Math.floor(r() * 360),
      field_of_view_deg: 60 + Math.floor(r() * 50),
      mount_type: pick(MOUNTS),
      capabilities: some(CAPABILITIES, 0.4),
      tags: some(TAGS, 0.15),
      lifecycle: pick(LIFECYCLES),
    };
  });
}

const COLUMNS = Object.keys(inventory(1)[0]) as (keyof Camera)[];

function toCsv(cameras: Camera[]): string {
  const cell = (v: unknown) => {
    const s = Array.isArray(v) ? v.join(';') : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return (
    [COLUMNS.join(','), ...cameras.map((c) => COLUMNS.map((k) => cell(c[k])).join(','))].join('\r\n') + '\r\n'
  );
}

async function post(url: string, authorization: string, body: string, type = 'text/csv') {
  const t0 = performance.now();
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': type, authorization }, body });
  const json = (await res.json()) as Record<string, unknown>;
  const ms = performance.now() - t0;
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${JSON.stringify(json).slice(0, 2000)}`);
  return { ms, json };
}

/** The same rows straight into a copy of the cameras table (same indexes): no parsing, no checks, no events. */
async function baseline(client: Client, cameras: Camera[], systemId: string) {
  await client.query('DROP TABLE IF EXISTS public.bench_import_baseline');
  await client.query(
    'CREATE TABLE public.bench_import_baseline (LIKE camera_registry.cameras INCLUDING ALL)',
  );
  const t0 = performance.now();
  await client.query('BEGIN');
  for (let i = 0; i < cameras.length; i += 1_000) {
    const params: unknown[] = [];
    const tuples: string[] = [];
    for (const c of cameras.slice(i, i + 1_000)) {
      const b = params.length;
      tuples.push(
        `('ALA', $${b + 1}, ${Array.from({ length: 12 }, (_, k) => `$${b + k + 2}`).join(', ')}, 1)`,
      );
      params.push(systemId, ...COLUMNS.map((k) => c[k]));
    }
    await client.query(
      `INSERT INTO public.bench_import_baseline
         (region_code, video_system_id, ${COLUMNS.join(', ')}, version) VALUES ${tuples.join(', ')}`,
      params,
    );
  }
  await client.query('COMMIT');
  return performance.now() - t0;
}

async function drained(client: Client): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const { rows } = await client.query('SELECT count(*)::int AS n FROM camera_registry.outbox');
    if (rows[0].n === 0) return performance.now() - t0;
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function run(argv: string[]) {
  const count = option(argv, 'cameras', 10_000);
  process.env.LOG_LEVEL ??= 'warn';
  const stops: (() => Promise<void>)[] = [];
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const pg = await startEmbeddedPostgres({
      dataDir: join(mkdtempSync(join(tmpdir(), 'safecity-bench-')), 'pg'),
      persistent: false,
    });
    adminUrl = pg.url;
    stops.push(() => pg.stop());
  }
  const db = await createIsolatedDatabase(adminUrl, 'bench_import');
  stops.push(() => db.drop());
  const bus = new InProcessBus();
  let events = 0;
  bus.subscribe('bench-observer', ['safecity.cameras.v1'], async () => void events++);
  const identity = await createTestIdentity();
  const admin = await identity.bearer('admin');
  const service = await startCameraRegistry({
    databaseUrl: db.url,
    transport: { kind: 'in-process', bus },
    http: { port: 0 },
    grpcUrl: `127.0.0.1:${await freeLoopbackPort()}`,
    runMigrations: true,
    identity: identity.identity,
  });
  stops.push(() => service.close());
  const client = new Client({ connectionString: db.url });
  await client.connect();
  stops.push(() => client.end());
  try {
    const system = async (name: string) =>
      (
        await post(
          `${service.httpUrl}/video-systems`,
          admin,
          JSON.stringify({ regionCode: 'ALA', name, vendor: 'milestone', ingestionMethod: 'canonical-push' }),
          'application/json',
        )
      ).json.id as string;
    const importUrl = (id: string) => `${service.httpUrl}/video-systems/${id}/cameras/import`;

    const cameras = inventory(count);
    const csv = toCsv(cameras);
    const changed = toCsv(cameras.map((c) => ({ ...c, name: `${c.name} (rev 2)` })));
    process.stdout.write(
      `camera import benchmark: ${count} Almaty cameras, CSV of ${(csv.length / 1024 / 1024).toFixed(1)} MB\n`,
    );

    // Warm-up on another video system: JIT, connection pool, prepared plans.
    await post(importUrl(await system('warm-up')), admin, toCsv(inventory(1_000)));
    await drained(client);

    const id = await system('Almaty city VMS');
    const created = await post(importUrl(id), admin, csv);
    const relayCreated = await drained(client);
    const unchanged = await post(importUrl(id), admin, csv);
    const updated = await post(importUrl(id), admin, changed);
    const relayUpdated = await drained(client);
    const baselineMs = await baseline(client, cameras, id);

    const check = (r: { json: Record<string, unknown> }, key: string) => {
      if (r.json[key] !== count) throw new Error(`expected ${count} ${key}, got ${JSON.stringify(r.json)}`);
    };
    check(created, 'created');
    check(unchanged, 'unchanged');
    check(updated, 'updated');

    const row = (path: string, ms: number, outcome: string) => ({
      path,
      outcome,
      ms: Math.round(ms),
      'rows/s': rate(count, ms),
      'vs baseline': `${(ms / baselineMs).toFixed(1)}x`,
    });
    process.stdout.write(
      `${table([
        row('baseline: multi-row INSERT into a copy of the table', baselineMs, 'inserted'),
        row('POST import, new file', created.ms, 'created + events'),
        row('POST import, same file again', unchanged.ms, 'unchanged, no events'),
        row('POST import, every name changed', updated.ms, 'updated + events'),
      ])}\n`,
    );
    process.stdout.write(
      `outbox drained to the bus ${Math.round(relayCreated)} ms after the first import answered and ` +
        `${Math.round(relayUpdated)} ms after the changed one; ${events} events seen\n`,
    );
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
}
