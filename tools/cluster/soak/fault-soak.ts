import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acknowledgedProducerConfig, CeHeader } from '@safecity/messaging';
import { recognition, Topics } from '@safecity/contracts';
import { LocalIssuer } from '@safecity/security';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { Client } from 'pg';
import { Cluster, type InstanceState, type ServiceName } from '../topology';
import { sleep } from '../processes';
import { SoakLoad, type SentDetection, type SoakSystem } from './load';

/** The faults a soak injects, in this order, after a phase without any. */
export const FAULTS = ['recognition', 'incidents', 'broker', 'postgres', 'camera-registry'] as const;
export type FaultName = (typeof FAULTS)[number];

export interface SoakOptions {
  brokers: 1 | 3;
  ratePerSecond: number;
  /** Share of detections showing a plate on the hotlist (default 0.05). */
  hotFraction?: number;
  /** Share of detections written to the raw topic rather than posted (default 0.3). */
  rawFraction?: number;
  /** Each phase lasts at least this long (the fault included)… */
  phaseMinSeconds: number;
  /** …and, while hot-plate incidents are still late, at most this long. */
  phaseMaxSeconds: number;
  faults?: readonly FaultName[];
  /** How long a killed instance stays down before it is started again (default 3 s). */
  instanceDownSeconds?: number;
  /** How long a broker and PostgreSQL stay down (default 10 s). */
  outageSeconds?: number;
  /** How long, after the load stops, everything may take to arrive (default 180 s). */
  drainSeconds?: number;
  /** Keep the cluster's folder (logs) afterwards; default: only when something failed. */
  keep?: boolean;
  dir?: string;
  log?: (line: string) => void;
}

export interface PhaseReport {
  name: string;
  fault: string;
  /** The fault began this long after the phase (ms epoch). */
  startedAt: number;
  faultAt?: number;
  /** The process or server was started again. */
  restoredAt?: number;
  endedAt: number;
  /** Seconds the component was down (from the fault until it was started again and serving). */
  downSeconds?: number;
  hotSent: number;
  hotOpened: number;
  longestHotDelaySeconds: number | null;
  medianHotDelaySeconds: number | null;
  /** From the fault until hot-plate incidents open as promptly as without faults. */
  recoverySeconds: number | null;
  httpRefusals: number;
  rawRefusals: number;
}

export interface Tally {
  name: string;
  expected: number;
  actual: number;
  lost: number;
  duplicates: number;
  /** A few ids of what was lost, for the failure message. */
  examples: string[];
  /**
   * Counted on a topic, where a record may be there twice (a relay re-sending after a crash):
   * consumers absorb those through their inbox, so they are redeliveries, not duplicate effects.
   */
  onTopic?: boolean;
}

export interface SoakReport {
  brokers: number;
  ratePerSecond: number;
  hotFraction: number;
  phases: PhaseReport[];
  tallies: Tally[];
  deadLetters: Record<string, number>;
  outboxes: Record<string, number>;
  lag: Record<string, number>;
  /** Everything that is not as it must be; empty when nothing was lost or duplicated. */
  problems: string[];
  dir: string;
  /** Delay above which a hot-plate incident counts as late: the no-fault phase's longest plus margin. */
  lateAfterSeconds: number;
}

const REGION = 'ALA';
const SYSTEMS = 4;
const CAMERAS_PER_SYSTEM = 3;
const SCHEMAS = ['camera_registry', 'recognition', 'incidents', 'prevention'];

/**
 * The fault soak: the production topology (camera-registry ×1, recognition ×2, incidents ×2,
 * prevention ×1, Kafka, PostgreSQL), detections at a steady rate over HTTP and the raw topic with
 * a known share of hotlisted plates, and one fault per phase — kill -9 of a recognition and of an
 * incidents instance, a broker crash, PostgreSQL stopped `-m immediate`, kill -9 of
 * camera-registry — each undone seconds later. Then everything is counted by id: what the
 * platform acknowledged must be stored, published, matched, opened as incidents and seen by
 * prevention, once, with no manual replay.
 */
export async function runFaultSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => undefined);
  const hotFraction = options.hotFraction ?? 0.05;
  const faults = options.faults ?? FAULTS;
  const instanceDown = (options.instanceDownSeconds ?? 3) * 1000;
  const outage = (options.outageSeconds ?? 10) * 1000;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'safecity-soak-'));
  const instances: Partial<Record<ServiceName, number>> = {
    'camera-registry': 1,
    recognition: 2,
    incidents: 2,
    prevention: 1,
  };
  log(`cluster: ${options.brokers} broker(s), ${JSON.stringify(instances)} in ${dir}`);
  const cluster = await Cluster.start({
    dir,
    brokers: options.brokers,
    partitions: 6,
    instances,
    logLevel: 'info',
    progress: (line) => log(`starting ${line}`),
  });
  const kafka = new Kafka({
    clientId: 'soak',
    brokers: cluster.brokers.split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 },
  });
  const producer = kafka.producer(acknowledgedProducerConfig());
  const db = new ReconnectingClient(cluster.adminDatabaseUrl());
  let failed = true;
  try {
    await producer.connect();

    const plannedSeconds = options.phaseMaxSeconds * (faults.length + 1);
    const hotPlates = Array.from(
      { length: Math.ceil(options.ratePerSecond * hotFraction * plannedSeconds * 1.2) + 20 },
      (_, i) => `HX${String(i).padStart(6, '0')}`,
    );
    const systems = await seed(cluster, hotPlates, log);
    const recognitionUrls = () =>
      cluster
        .instancesOf('recognition')
        .filter((i) => i.pid)
        .map((i) => cluster.httpUrl(i));
    const load = new SoakLoad({
      systems,
      ingestUrls: recognitionUrls,
      producer,
      ratePerSecond: options.ratePerSecond,
      hotFraction,
      rawFraction: options.rawFraction ?? 0.3,
      hotPlates,
      log,
    });

    // Every hot detection's incident, as it opens: what the phases' delays and recovery are read from.
    const opened = new Map<string, number>();
    const refreshOpened = async () => {
      const waiting = [...load.sent.values()].filter(
        (d) => d.hot && d.ackedAt && !opened.has(d.vendorEventId),
      );
      if (!waiting.length) return;
      const rows = await queryWithin<{ vendor_event_id: string; created_at: Date }>(
        db,
        `SELECT d.vendor_event_id, min(i.created_at) AS created_at
           FROM recognition.detections d
           JOIN recognition.matches m ON m.detection_id = d.id::text
           JOIN incidents.incident_sources s ON s.ref_id = m.id::text
           JOIN incidents.incidents i ON i.id = s.incident_id
          WHERE d.vendor_event_id = ANY($1)
          GROUP BY d.vendor_event_id`,
        [waiting.map((d) => d.vendorEventId)],
      );
      for (const row of rows ?? []) opened.set(row.vendor_event_id, row.created_at.getTime());
    };

    load.start();
    const phases: PhaseReport[] = [];
    let lateAfter = 5_000;
    for (const fault of [null, ...faults]) {
      const phase = await runPhase(cluster, fault, {
        minMs: options.phaseMinSeconds * 1000,
        maxMs: options.phaseMaxSeconds * 1000,
        instanceDown,
        outage,
        brokers: options.brokers,
        caughtUp: async (since) => {
          await refreshOpened();
          const now = Date.now();
          // Caught up: every hot detection acknowledged at least `lateAfter` ago has its incident.
          return [...load.sent.values()].every(
            (d) => !d.hot || d.sentAt < since || d.sentAt > now - lateAfter || opened.has(d.vendorEventId),
          );
        },
        log,
      });
      await refreshOpened().catch(() => undefined);
      const report = measurePhase(phase, load, opened, lateAfter);
      if (!fault) {
        // Late means well past the no-fault phase's longest delay.
        lateAfter = Math.max(3_000, (report.longestHotDelaySeconds ?? 2) * 1000 * 2 + 1_000);
      }
      phases.push(report);
      log(describePhase(report));
    }
    const unacknowledged = await load.stop(60_000);
    log(`load stopped: ${load.sent.size} detections sent, ${unacknowledged} batch(es) never acknowledged`);

    // Late incidents still count towards their phase's delays: measured again after the drain.
    const deadline = Date.now() + (options.drainSeconds ?? 180) * 1000;
    let final = await tallyEverything(db, kafka, load.sent);
    while (!isSettled(final) && Date.now() < deadline) {
      await sleep(3_000);
      final = await tallyEverything(db, kafka, load.sent);
    }
    await refreshOpened().catch(() => undefined);
    const remeasured = phases.map((p) => ({
      ...measurePhase(p, load, opened, lateAfter),
      downSeconds: p.downSeconds,
    }));
    const problems = problemsOf(final, load);
    failed = problems.length > 0;
    return {
      brokers: options.brokers,
      ratePerSecond: options.ratePerSecond,
      hotFraction,
      phases: remeasured,
      tallies: final.tallies,
      deadLetters: final.deadLetters,
      outboxes: final.outboxes,
      lag: final.lag,
      problems,
      dir,
      lateAfterSeconds: lateAfter / 1000,
    };
  } finally {
    await producer.disconnect().catch(() => undefined);
    await db.end().catch(() => undefined);
    await cluster.stop();
    if (!options.keep && !failed && !options.dir) rmSync(dir, { recursive: true, force: true });
  }
}

/** The soak's own connection, made again after PostgreSQL was stopped under it. */
class ReconnectingClient {
  private client: Client | null = null;

  constructor(private readonly url: string) {}

  async query<T>(text: string, params: unknown[] = []): Promise<{ rows: T[] }> {
    if (!this.client) {
      const client = new Client({ connectionString: this.url });
      client.on('error', () => undefined);
      try {
        await client.connect();
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      }
      this.client = client;
    }
    try {
      return (await this.client.query(text, params)) as unknown as { rows: T[] };
    } catch (error) {
      const broken = this.client;
      this.client = null;
      await broken.end().catch(() => undefined);
      throw error;
    }
  }

  async end(): Promise<void> {
    await this.client?.end();
    this.client = null;
  }
}

async function queryWithin<T>(db: ReconnectingClient, text: string, params: unknown[]): Promise<T[] | null> {
  try {
    return (await db.query<T>(text, params)).rows;
  } catch {
    // PostgreSQL is down (the fault): asked again on the next round.
    return null;
  }
}

/** Video systems, cameras, ingest keys and the plate hotlist, through the services' own APIs. */
async function seed(
  cluster: Cluster,
  hotPlates: string[],
  log: (line: string) => void,
): Promise<SoakSystem[]> {
  const issuer = await LocalIssuer.open({ directory: cluster.state.issuerDir });
  const token = await issuer.issue({
    subject: 'soak',
    roles: ['admin'],
    regions: 'all',
    ttlSeconds: 6 * 3600,
  });
  const registry = cluster.httpUrl(cluster.instancesOf('camera-registry')[0]!);
  const recognitionUrl = cluster.httpUrl(cluster.instancesOf('recognition')[0]!);
  const call = async (base: string, path: string, body: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'x-purpose': 'fault soak set-up',
      },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  };
  const systems: SoakSystem[] = [];
  for (let s = 0; s < SYSTEMS; s++) {
    const system = await call(registry, '/video-systems', {
      regionCode: REGION,
      name: `Soak system ${s + 1}`,
      vendor: 'other',
      ingestionMethod: 'canonical-push',
    });
    const cameras: string[] = [];
    for (let c = 0; c < CAMERAS_PER_SYSTEM; c++) {
      const externalId = `soak-${s + 1}-${c + 1}`;
      await call(registry, '/cameras', {
        videoSystemId: system.id,
        externalId,
        name: `Soak camera ${s + 1}.${c + 1}`,
        location: { lat: 43.2 + s * 0.01, lon: 76.9 + c * 0.01 },
        capabilities: ['plates'],
      });
      cameras.push(externalId);
    }
    const key = await call(recognitionUrl, `/video-systems/${system.id as string}/ingest-keys`, {
      label: 'soak',
    });
    systems.push({
      videoSystemId: system.id as string,
      regionCode: REGION,
      apiKey: key.apiKey as string,
      cameras,
    });
  }
  const list = await call(recognitionUrl, '/watchlists', {
    kind: 'plate',
    name: 'Soak: hot plates',
    regionCode: REGION,
    legalBasis: 'Fault soak: no real vehicle',
    owner: 'Safe City soak',
  });
  const expiresAt = new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString();
  let next = 0;
  const enrol = async () => {
    while (next < hotPlates.length) {
      const plate = hotPlates[next++]!;
      await call(recognitionUrl, `/watchlists/${list.id as string}/plates`, {
        plate,
        country: 'KZ',
        reason: 'stolen-vehicle',
        priority: 1,
        legalBasis: 'Fault soak: no real vehicle',
        owner: 'Safe City soak',
        expiresAt,
        regions: [REGION],
      });
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: 6 }, enrol));
  log(
    `seeded ${SYSTEMS} video systems × ${CAMERAS_PER_SYSTEM} cameras and ${hotPlates.length} hot plates in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  // Every recognition instance picks up hotlist changes from the change log every 2 s.
  await sleep(5_000);
  return systems;
}

interface PhaseRun {
  name: string;
  fault: string;
  startedAt: number;
  faultAt?: number;
  restoredAt?: number;
  endedAt: number;
  downSeconds?: number;
}

async function runPhase(
  cluster: Cluster,
  fault: FaultName | null,
  o: {
    minMs: number;
    maxMs: number;
    instanceDown: number;
    outage: number;
    brokers: number;
    caughtUp: (since: number) => Promise<boolean>;
    log: (line: string) => void;
  },
): Promise<PhaseRun> {
  const startedAt = Date.now();
  const run: PhaseRun = { name: fault ?? 'no fault', fault: 'none', startedAt, endedAt: startedAt };
  const restart = async (instance: InstanceState) => {
    run.fault = `kill -9 ${instance.service}-${instance.instance}, restarted ${o.instanceDown / 1000} s later`;
    await sleep(2_000);
    run.faultAt = Date.now();
    await cluster.stopInstance(instance, true);
    await sleep(o.instanceDown);
    run.restoredAt = Date.now();
    await cluster.startInstance(instance);
  };
  switch (fault) {
    case null:
      break;
    case 'recognition':
    case 'incidents':
      await restart(cluster.instance(fault, 2));
      break;
    case 'camera-registry':
      await restart(cluster.instance('camera-registry', 1));
      break;
    case 'broker': {
      const node = o.brokers === 3 ? 2 : 1;
      run.fault = `kill -9 Kafka node ${node}${o.brokers === 3 ? ' of 3' : ' (the only one)'}, restarted ${o.outage / 1000} s later`;
      await sleep(2_000);
      run.faultAt = Date.now();
      await cluster.stopBroker(node, true);
      await sleep(o.outage);
      run.restoredAt = Date.now();
      await cluster.startBroker(node);
      await cluster.waitForBrokers();
      break;
    }
    case 'postgres':
      run.fault = `pg_ctl stop -m immediate, started ${o.outage / 1000} s later`;
      await sleep(2_000);
      run.faultAt = Date.now();
      await cluster.stopPostgres('immediate');
      await sleep(o.outage);
      run.restoredAt = Date.now();
      await cluster.startPostgres();
      break;
  }
  if (run.faultAt) run.downSeconds = (Date.now() - run.faultAt) / 1000;
  o.log(
    `phase ${run.name}: ${run.fault}${run.downSeconds ? `, back after ${run.downSeconds.toFixed(1)} s` : ''}`,
  );
  // Until the phase's minimum has passed and incidents are prompt again, or its maximum.
  for (;;) {
    const elapsed = Date.now() - startedAt;
    if (elapsed >= o.maxMs) break;
    if (elapsed >= o.minMs && (await o.caughtUp(startedAt).catch(() => false))) break;
    await sleep(1_000);
  }
  run.endedAt = Date.now();
  return run;
}

function measurePhase(
  phase: PhaseRun,
  load: SoakLoad,
  opened: Map<string, number>,
  lateAfter: number,
): PhaseReport {
  const hot = [...load.sent.values()].filter(
    (d) => d.hot && d.sentAt >= phase.startedAt && d.sentAt < phase.endedAt,
  );
  const delays = hot
    .filter((d) => opened.has(d.vendorEventId))
    .map((d) => opened.get(d.vendorEventId)! - d.sentAt);
  const sorted = [...delays].sort((a, b) => a - b);
  let recoverySeconds: number | null = null;
  if (phase.faultAt) {
    const after = hot.filter((d) => d.sentAt >= phase.faultAt! - 2_000);
    if (after.some((d) => !opened.has(d.vendorEventId))) recoverySeconds = null;
    else {
      // The last hot-plate incident that opened late: from then on they open as without faults.
      const lateOpenings = after
        .filter((d) => opened.get(d.vendorEventId)! - d.sentAt > lateAfter)
        .map((d) => opened.get(d.vendorEventId)!);
      recoverySeconds = lateOpenings.length ? (Math.max(...lateOpenings) - phase.faultAt) / 1000 : 0;
    }
  }
  const within = (f: { at: number }) => f.at >= phase.startedAt && f.at < phase.endedAt;
  return {
    ...phase,
    hotSent: hot.length,
    hotOpened: delays.length,
    longestHotDelaySeconds: sorted.length ? sorted[sorted.length - 1]! / 1000 : null,
    medianHotDelaySeconds: sorted.length ? sorted[Math.floor(sorted.length / 2)]! / 1000 : null,
    recoverySeconds,
    httpRefusals: load.failures.filter((f) => f.channel === 'http' && within(f)).length,
    rawRefusals: load.failures.filter((f) => f.channel === 'raw' && within(f)).length,
  };
}

function describePhase(p: PhaseReport): string {
  const s = (v: number | null) => (v === null ? '—' : v.toFixed(1));
  return (
    `phase ${p.name}: ${p.hotOpened}/${p.hotSent} hot-plate incidents open, longest delay ${s(p.longestHotDelaySeconds)} s, ` +
    `median ${s(p.medianHotDelaySeconds)} s, recovered after ${p.faultAt ? s(p.recoverySeconds) : '—'} s, ` +
    `${p.httpRefusals} HTTP and ${p.rawRefusals} raw-topic attempts refused`
  );
}

interface Tallies {
  tallies: Tally[];
  deadLetters: Record<string, number>;
  outboxes: Record<string, number>;
  lag: Record<string, number>;
  /** Tallies could not be taken (a query failed): not settled. */
  incomplete?: string;
}

function isSettled(t: Tallies): boolean {
  return (
    !t.incomplete &&
    t.tallies.every((x) => x.lost === 0) &&
    Object.values(t.outboxes).every((n) => n === 0) &&
    Object.values(t.lag).every((n) => n === 0)
  );
}

function tally(name: string, expected: Set<string>, actual: Map<string, number>, onTopic = false): Tally {
  const lost = [...expected].filter((id) => !actual.has(id));
  const duplicates = [...actual.values()].filter((n) => n > 1).length;
  return {
    name,
    expected: expected.size,
    // Only what was expected: incidents keep publishing (SLA escalations) after the topic was read.
    actual: expected.size - lost.length,
    lost: lost.length,
    duplicates,
    examples: lost.slice(0, 5),
    onTopic,
  };
}

function counted<T>(rows: T[], key: (row: T) => string): Map<string, number> {
  const map = new Map<string, number>();
  for (const row of rows) map.set(key(row), (map.get(key(row)) ?? 0) + 1);
  return map;
}

/** Everything counted by id, from the tables, the topics and the consumer groups. */
async function tallyEverything(
  db: ReconnectingClient,
  kafka: Kafka,
  sent: Map<string, SentDetection>,
): Promise<Tallies> {
  const empty: Tallies = { tallies: [], deadLetters: {}, outboxes: {}, lag: {} };
  try {
    const acked = [...sent.values()].filter((d) => d.ackedAt && d.outcome !== 'dropped');
    const ackedIds = new Set(acked.map((d) => d.vendorEventId));
    const hotIds = new Set(acked.filter((d) => d.hot).map((d) => d.vendorEventId));

    const detections = (
      await db.query<{ id: string; vendor_event_id: string }>(
        'SELECT id::text, vendor_event_id FROM recognition.detections',
      )
    ).rows;
    const stored = counted(detections, (r) => r.vendor_event_id);
    const vendorOf = new Map(detections.map((r) => [r.id, r.vendor_event_id]));

    const matches = (
      await db.query<{ id: string; detection_id: string }>(
        `SELECT id::text, detection_id FROM recognition.matches WHERE kind = 'plate'`,
      )
    ).rows;
    const matchesByVendor = counted(
      matches,
      (m) => vendorOf.get(m.detection_id) ?? `unknown detection ${m.detection_id}`,
    );
    const storedMatchIds = new Set(matches.map((m) => m.id));
    const sources = (
      await db.query<{ ref_id: string; incident_id: string }>(
        'SELECT ref_id, incident_id::text FROM incidents.incident_sources WHERE ref_id = ANY($1)',
        [[...storedMatchIds]],
      )
    ).rows;
    const consumed = counted(sources, (s) => s.ref_id);
    const vendorOfMatch = new Map(matches.map((m) => [m.id, vendorOf.get(m.detection_id) ?? m.detection_id]));
    // One incident per hot plate: an incident holding two of the soak's matches would be two plates in one.
    const incidentsByVendor = counted(
      [...new Map(sources.map((s) => [s.incident_id, s])).values()],
      (s) => vendorOfMatch.get(s.ref_id) ?? s.ref_id,
    );

    const published = await readTopic(kafka, Topics.Detections, (value) => {
      const detection = recognition.DetectionObserved.decode(value).detection;
      return detection ? detection.id : '';
    });
    const incidentEvents = await readTopic(kafka, Topics.Incidents, null);
    const inbox = (
      await db.query<{ event_id: string }>(`SELECT event_id FROM prevention.inbox WHERE topic LIKE $1`, [
        `${Topics.Incidents}%`,
      ])
    ).rows;

    const outboxes: Record<string, number> = {};
    for (const schema of SCHEMAS) {
      outboxes[schema] = Number(
        (await db.query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".outbox`)).rows[0]!.n,
      );
    }
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { deadLetters, lag } = await topicsAndGroups(admin);
      return {
        tallies: [
          tally('detections stored (of acknowledged)', ackedIds, stored),
          tally('detections published (of stored)', new Set(detections.map((d) => d.id)), published, true),
          tally('plate matches stored (of hot acknowledged)', hotIds, matchesByVendor),
          tally('plate matches consumed by incidents (of stored)', storedMatchIds, consumed),
          tally('incidents opened (of hot acknowledged)', hotIds, incidentsByVendor),
          tally(
            'incident events in prevention inbox (of published)',
            new Set(incidentEvents.keys()),
            counted(inbox, (r) => r.event_id),
          ),
        ],
        deadLetters,
        outboxes,
        lag,
      };
    } finally {
      await admin.disconnect();
    }
  } catch (error) {
    return { ...empty, incomplete: (error as Error).message };
  }
}

/**
 * The ids on a topic, from its first record to its end now (a fresh consumer each time, so the
 * count does not depend on any group's committed position). `idOf` reads the id from the value;
 * null uses the CloudEvents id header.
 */
async function readTopic(
  kafka: Kafka,
  topic: string,
  idOf: ((value: Buffer) => string) | null,
): Promise<Map<string, number>> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const remaining = new Map(
    ends.filter((p) => Number(p.high) > Number(p.low)).map((p) => [p.partition, Number(p.high)]),
  );
  const ids = new Map<string, number>();
  if (remaining.size === 0) return ids;
  const consumer = kafka.consumer({
    groupId: `soak-reader-${Date.now()}-${Math.random().toString(36).slice(2)}`,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          const id = idOf
            ? idOf(message.value ?? Buffer.alloc(0))
            : String(message.headers?.[CeHeader.Id] ?? '');
          if (id) ids.set(id, (ids.get(id) ?? 0) + 1);
        }
        const end = remaining.get(batch.partition);
        if (end !== undefined && Number(batch.lastOffset()) + 1 >= end) remaining.delete(batch.partition);
        if (remaining.size === 0) done();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      finished.then(() => false),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(true), 60_000))),
    ]).finally(() => clearTimeout(timer));
    if (timedOut) throw new Error(`reading ${topic} did not reach its end within 60 s`);
  } finally {
    await consumer.disconnect();
  }
  return ids;
}

/** Records left on every dead-letter topic, and every platform group's lag per topic. */
async function topicsAndGroups(admin: Admin) {
  const topics = await admin.listTopics();
  const deadLetters: Record<string, number> = {};
  for (const topic of topics.filter((t) => t.endsWith('.dlq'))) {
    const offsets = await admin.fetchTopicOffsets(topic);
    const records = offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
    if (records > 0) deadLetters[topic] = records;
  }
  const lag: Record<string, number> = {};
  const { groups } = await admin.listGroups();
  for (const { groupId } of groups.filter((g) => g.groupId.startsWith('safecity.'))) {
    for (const entry of await admin.fetchOffsets({ groupId })) {
      const ends = await admin.fetchTopicOffsets(entry.topic);
      let behind = 0;
      for (const p of entry.partitions) {
        const end = ends.find((e) => e.partition === p.partition);
        if (!end) continue;
        const committed = Number(p.offset) < 0 ? Number(end.low) : Number(p.offset);
        behind += Math.max(0, Number(end.high) - committed);
      }
      lag[`${groupId} ${entry.topic}`] = behind;
    }
  }
  return { deadLetters, lag };
}

function problemsOf(final: Tallies, load: SoakLoad): string[] {
  const problems: string[] = [];
  if (final.incomplete) problems.push(`the tallies could not be taken: ${final.incomplete}`);
  for (const t of final.tallies) {
    if (t.lost) problems.push(`${t.name}: ${t.lost} of ${t.expected} lost (e.g. ${t.examples.join(', ')})`);
    if (t.duplicates && !t.onTopic)
      problems.push(`${t.name}: ${t.duplicates} id(s) with more than one effect`);
  }
  for (const [topic, n] of Object.entries(final.deadLetters))
    problems.push(`${topic}: ${n} record(s) dead-lettered`);
  for (const [schema, n] of Object.entries(final.outboxes))
    if (n) problems.push(`${schema}.outbox: ${n} event(s) never relayed`);
  for (const [group, n] of Object.entries(final.lag)) if (n) problems.push(`consumer lag of ${group}: ${n}`);
  const sent = [...load.sent.values()];
  const unacknowledged = sent.filter((d) => !d.ackedAt).length;
  if (unacknowledged) problems.push(`${unacknowledged} detection(s) never acknowledged by the platform`);
  const dropped = sent.filter((d) => d.outcome === 'dropped').length;
  if (dropped) problems.push(`${dropped} detection(s) answered "dropped"`);
  return problems;
}

/** The figures as a table: one row per phase, then the counts. */
export function formatReport(report: SoakReport): string {
  const s = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(1));
  const lines = [
    `Fault soak: ${report.brokers} broker(s), ${report.ratePerSecond} detections/s (${Math.round(report.hotFraction * 100)}% hot plates), ` +
      `late = over ${report.lateAfterSeconds.toFixed(1)} s`,
    '',
    '| phase | fault | down (s) | hot incidents | longest hot delay (s) | median (s) | recovered after (s) | refused HTTP / raw |',
    '| --- | --- | --: | --: | --: | --: | --: | --: |',
    ...report.phases.map(
      (p) =>
        `| ${p.name} | ${p.fault} | ${s(p.downSeconds)} | ${p.hotOpened}/${p.hotSent} | ${s(p.longestHotDelaySeconds)} | ` +
        `${s(p.medianHotDelaySeconds)} | ${p.faultAt ? s(p.recoverySeconds) : '—'} | ${p.httpRefusals} / ${p.rawRefusals} |`,
    ),
    '',
    '| counted by id | expected | found | lost | duplicated |',
    '| --- | --: | --: | --: | --: |',
    ...report.tallies.map(
      (t) =>
        `| ${t.name} | ${t.expected} | ${t.actual} | ${t.lost} | ${t.onTopic ? `${t.duplicates} redelivered record(s)` : t.duplicates} |`,
    ),
    '',
    `dead letters: ${Object.keys(report.deadLetters).length ? JSON.stringify(report.deadLetters) : 'none'}; ` +
      `outboxes: ${JSON.stringify(report.outboxes)}; ` +
      `consumer lag: ${Object.values(report.lag).reduce((a, b) => a + b, 0)}`,
    report.problems.length
      ? `PROBLEMS:\n  ${report.problems.join('\n  ')}`
      : 'nothing lost, nothing duplicated',
  ];
  return lines.join('\n');
}
