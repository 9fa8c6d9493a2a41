/**
 * `npm run bench -- incidents [--rate 2000] [--seconds 10] [--warmup 20] [--clients 200] [--timeline 1]
 *   [--feed-flush-ms 20] [--outbox-linger-ms 50]`
 *
 * From a plate match published on real Kafka to the incident seen by a live-stream (SSE) client:
 * matches are produced at a steady rate, each on a new plate so each opens an incident, while
 * `--clients` SSE clients stay connected. Latency is taken on one probe client (parsing every
 * frame, in a worker thread of its own); the others count what they receive, to show all of them
 * are served everything (another worker thread). The producer has a worker thread too, encoding
 * produce requests as recognition's relay does; the service runs in this one.
 * The first `--warmup` seconds of the stream are reported apart from the measured ones. The target
 * is about a platform in service, whose broker has long compiled its hot paths; the broker this
 * benchmark starts spends up to 40% of a core in its JIT compiler over the first half-minute of
 * traffic (its CPU per match after 3 s of warm-up is twice that after 20), so the default warm-up
 * is 20 s, and the cold start is printed beside it.
 * Baseline, same run, same rate: raw kafkajs produce -> consume latency on a bench topic.
 * `--timeline 1` also prints the latency of each second of the stream (by the second a match was
 * sent), which tells a steady tail from one made by stalls. `--feed-flush-ms` and
 * `--outbox-linger-ms` set the service's live-feed flush interval and outbox linger (its
 * defaults otherwise), to compare them in one hour of this machine.
 */
import { Worker } from 'node:worker_threads';
import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { EventTypes, eventDefinition, recognition, Topics, type EventPayloads } from '@safecity/contracts';
import { startIncidents } from '@safecity/incidents';
import { cloudEventHeaders } from '@safecity/messaging';
import { createIsolatedDatabase, freeLoopbackPort } from '@safecity/persistence';
import { LocalIssuer } from '@safecity/security';
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin, type Message } from 'kafkajs';
import { cpuBetween, cpuShares, option, startBenchInfra, table, type CpuShares } from './infra';

const PARTITIONS = 3;
const TICK_MS = 20;

function quantiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
  return {
    samples: sorted.length,
    p50: +q(0.5).toFixed(1),
    p95: +q(0.95).toFixed(1),
    p99: +q(0.99).toFixed(1),
    max: +(sorted[sorted.length - 1] ?? NaN).toFixed(1),
  };
}

async function withRetries<T>(work: () => Promise<T>, attempts = 40): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** A fresh group starts at the end of the shared topics: only this run's matches are handled. */
async function positionGroupAtEnd(admin: Admin, groupId: string, topics: string[]) {
  const all = topics.flatMap((t) => [t, `${t}.retry`]);
  await admin.createTopics({
    topics: all.map((topic) => ({ topic, numPartitions: PARTITIONS })),
    waitForLeaders: true,
  });
  for (const topic of all) {
    const offsets = await withRetries(() => admin.fetchTopicOffsets(topic));
    await admin.setOffsets({
      groupId,
      topic,
      partitions: offsets.map((o) => ({ partition: o.partition, offset: o.high })),
    });
  }
}

function matchRecord(plate: string): Message {
  const id = randomUUID();
  const value: EventPayloads[typeof EventTypes.PlateMatched] = recognition.PlateMatched.fromPartial({
    match: {
      id,
      detectionId: randomUUID(),
      cameraId: randomUUID(),
      regionCode: 'ALA',
      location: { lat: 43.2 + Math.random() * 0.1, lon: 76.85 + Math.random() * 0.1 },
      observedAt: new Date(),
      matchedAt: new Date(),
      plate: { text: plate, country: 'KZ', confidence: 0.93, vehicle: { make: 'Toyota', color: 'white' } },
      candidates: [
        {
          hotlistId: 'bench-hotlist',
          entryId: plate,
          listedText: plate,
          reason: 1,
          score: 0.97,
          legalBasisRef: 'bench',
        },
      ],
      status: recognition.MatchStatus.MATCH_STATUS_PENDING_VERIFICATION,
      media: [{ kind: 1, uri: `https://vms.example/snap/${id}.jpg`, contentType: 'image/jpeg' }],
    },
  });
  const definition = eventDefinition(EventTypes.PlateMatched);
  return {
    key: id,
    value: Buffer.from(definition.codec.encode(value)),
    headers: cloudEventHeaders(
      {
        id,
        topic: Topics.Matches,
        key: id,
        type: EventTypes.PlateMatched,
        payload: new Uint8Array(),
        region: 'ALA',
      },
      '/safecity/recognition',
    ),
  };
}

/**
 * The producer runs in a worker thread of its own, as recognition would be another process: its
 * CPU does not come out of the service's thread. It sends the prepared records at `rate` per
 * second for `seconds`, in ticks, and reports when it handed each one to kafkajs (epoch ms).
 */
const PRODUCER_WORKER = `
const { Kafka, logLevel } = require('kafkajs');
const { parentPort, workerData } = require('node:worker_threads');
const { brokers, topic, rate, seconds, tickMs, records } = workerData;
// Recognition's relay publishes through kafkajs with the platform's one-pass produce encoding
// (libs/messaging); kafkajs' own would take this thread several times the CPU per record.
require(workerData.loader);
require(workerData.produceEncoding).installProduceEncoding();
(async () => {
  const kafka = new Kafka({ brokers, clientId: 'bench-producer', logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  const messages = records.map((r) => ({
    key: r.key,
    value: Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength),
    headers: r.headers,
  }));
  const total = Math.min(messages.length, rate * seconds);
  const sentAt = new Float64Array(total);
  const start = performance.now();
  let i = 0;
  const inflight = [];
  while (i < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
    if (due > i) {
      const from = i;
      i = due;
      const at = performance.timeOrigin + performance.now();
      sentAt.fill(at, from, i);
      inflight.push(producer.send({ topic, acks: -1, messages: messages.slice(from, i) }));
      if (inflight.length > 50) await Promise.all(inflight.splice(0, inflight.length));
    }
    await new Promise((r) => setTimeout(r, tickMs));
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - start) / 1000;
  await producer.disconnect();
  parentPort.postMessage({ seconds: elapsed, sentAt }, [sentAt.buffer]);
})().catch((error) => parentPort.postMessage({ error: String(error && error.stack || error) }));
`;

async function produceAtRate(
  brokers: string,
  topic: string,
  rate: number,
  seconds: number,
  records: Message[],
): Promise<{ seconds: number; sentAt: Float64Array }> {
  const worker = new Worker(PRODUCER_WORKER, {
    eval: true,
    workerData: {
      brokers: brokers.split(','),
      topic,
      rate,
      seconds,
      tickMs: TICK_MS,
      records,
      loader: require.resolve('@swc-node/register'),
      produceEncoding: join(__dirname, '../libs/messaging/src/kafka/produce-request.ts'),
    },
  });
  try {
    const result = await new Promise<{ seconds: number; sentAt: Float64Array; error?: string }>(
      (resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      },
    );
    if (result.error) throw new Error(`producer: ${result.error}`);
    return result;
  } finally {
    await worker.terminate();
  }
}

async function rawBaseline(kafka: Kafka, brokers: string, rate: number, seconds: number, warmup: number) {
  const topic = `bench.incidents-raw-${randomUUID().slice(0, 8)}.v1`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
  await admin.disconnect();
  const total = rate * (warmup + seconds);
  const arrivals = new Float64Array(total).fill(NaN);
  let received = 0;
  const consumer = kafka.consumer({ groupId: `bench-raw-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: PARTITIONS,
    eachMessage: async ({ message }) => {
      const i = Number(message.key!.toString().slice(4));
      if (Number.isNaN(arrivals[i])) received++;
      arrivals[i] = performance.timeOrigin + performance.now();
    },
  });
  await new Promise((r) => setTimeout(r, 3_000));
  const records = Array.from({ length: total }, (_, i) => ({ ...matchRecord(`RAW${i}`), key: `raw-${i}` }));
  const { sentAt } = await produceAtRate(brokers, topic, rate, warmup + seconds, records);
  const deadline = Date.now() + 60_000;
  while (received < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await consumer.disconnect();
  const latencies: number[] = [];
  arrivals.forEach((at, i) => {
    if (!Number.isNaN(at) && i >= rate * warmup) latencies.push(at - sentAt[i]);
  });
  return quantiles(latencies);
}

/**
 * The live-stream clients run in worker threads, as remote operators' browsers would be
 * elsewhere: their reading does not compete with the service's event loop. The probe has a thread
 * of its own: it parses every frame and notes when each incident arrived (epoch ms), which must
 * not wait behind the other clients' reading. Those count frames in the raw bytes.
 */
const CLIENTS_WORKER = `
const http = require('node:http');
const net = require('node:net');
const { parentPort, workerData } = require('node:worker_threads');
const MARKER = 'event: incident';
const MARKER_BYTES = Buffer.from(MARKER);
const clients = [];
const arrivals = [];
// The counting clients read into one buffer they share (onread), so 199 streams of a few hundred
// megabytes make no garbage here: on two cores the collector's threads would otherwise compete
// with the service for the CPU, which remote operators' browsers never do. Frames are counted by
// their marker in the raw bytes (the HTTP head and chunk sizes never contain it); the last bytes
// of each read are kept, so a marker split between two reads is still found once.
const shared = Buffer.alloc(256 * 1024);
const KEEP = MARKER_BYTES.length - 1;
function countingClient() {
  return new Promise((resolve) => {
    const { hostname, port, pathname } = new URL(workerData.url);
    const state = { status: 0, frames: 0, request: null };
    // Its own operator's token, taken now: by the time the socket connects this client is counted.
    const token = workerData.tokens[clients.length];
    const carry = Buffer.alloc(KEEP * 2);
    let carried = 0;
    let head = '';
    const socket = net.connect({
      host: hostname,
      port: Number(port),
      onread: {
        buffer: shared,
        callback: (n, bytes) => {
          if (state.status === 0) {
            head += bytes.toString('latin1', 0, n);
            const match = /^HTTP\\/1\\.1 (\\d+)/.exec(head);
            if (match && head.includes('\\r\\n\\r\\n')) {
              state.status = Number(match[1]);
              resolve();
            }
          }
          // Markers that straddle the previous read and this one.
          const edge = Math.min(n, KEEP);
          bytes.copy(carry, carried, 0, edge);
          const joined = carry.subarray(0, carried + edge);
          if (carried > 0 && joined.indexOf(MARKER_BYTES) >= 0) state.frames++;
          for (let at = bytes.indexOf(MARKER_BYTES); at >= 0 && at + MARKER_BYTES.length <= n; at = bytes.indexOf(MARKER_BYTES, at + 1)) state.frames++;
          carried = Math.min(n, KEEP);
          bytes.copy(carry, 0, n - carried, n);
        },
      },
    });
    socket.on('connect', () => {
      socket.write('GET ' + pathname + ' HTTP/1.1\\r\\nHost: ' + hostname + ':' + port + '\\r\\nAuthorization: ' + token + '\\r\\nAccept: text/event-stream\\r\\nConnection: keep-alive\\r\\n\\r\\n');
    });
    socket.on('error', () => resolve());
    state.request = socket;
    clients.push(state);
  });
}
function probeClient() {
  return new Promise((resolve) => {
    const state = { status: 0, frames: 0, request: null };
    state.request = http.get(workerData.url, { headers: { authorization: workerData.tokens[clients.length], accept: 'text/event-stream' } }, (response) => {
      state.status = response.statusCode;
      response.setEncoding('utf8');
      let buffer = '';
      // Frames are cut out of each chunk by position and the unfinished tail kept once per chunk:
      // slicing the rest of a 30 KB chunk after every frame would make the probe's work grow with
      // the square of the chunk, CPU the service then cannot use.
      response.on('data', (chunk) => {
        const now = performance.timeOrigin + performance.now();
        buffer += chunk;
        let start = 0;
        let end;
        while ((end = buffer.indexOf('\\n\\n', start)) >= 0) {
          const block = buffer.slice(start, end);
          start = end + 2;
          const line = block.split('\\n').find((l) => l.startsWith('data: '));
          if (!block.includes(MARKER) || !line) continue;
          state.frames++;
          const entry = JSON.parse(line.slice(6));
          if (entry.kind === 'created') arrivals.push([entry.incident.title, now, Date.parse(entry.incident.createdAt)]);
        }
        buffer = buffer.slice(start);
      });
      resolve();
    });
    state.request.on('error', () => resolve());
    clients.push(state);
  });
}
(async () => {
  for (let i = 0; i < workerData.count; i++) await (workerData.probe ? probeClient() : countingClient());
  parentPort.postMessage({ type: 'ready', connected: clients.filter((c) => c.status === 200).length });
  parentPort.on('message', () => {
    parentPort.postMessage({ type: 'done', frames: clients.map((c) => c.frames), arrivals });
    for (const c of clients) c.request.destroy();
  });
})();
`;

interface WorkerReport {
  frames: number[];
  /** Per created incident seen by the probe: its title, when it arrived and its `createdAt` (epoch ms). */
  arrivals: [string, number, number][];
}

function startClientWorker(url: string, tokens: string[], count: number, probe: boolean) {
  const worker = new Worker(CLIENTS_WORKER, { eval: true, workerData: { url, tokens, count, probe } });
  const ready = new Promise<number>((resolve) =>
    worker.once('message', (m: { type: string; connected: number }) => resolve(m.connected)),
  );
  const finish = () =>
    new Promise<WorkerReport>((resolve) => {
      worker.once('message', (m: WorkerReport) => resolve(m));
      worker.postMessage('finish');
    }).finally(() => void worker.terminate());
  return { ready, finish };
}

/**
 * One probe and `count - 1` counting clients; the report's frames are the counting ones'. The
 * probe connects last, so it is the last client the service writes each change to: the latency
 * is the slowest client's, not the first one's.
 */
function startClients(url: string, tokens: string[], count: number) {
  const others = startClientWorker(url, tokens.slice(1), count - 1, false);
  const probe = others.ready.then(() => startClientWorker(url, tokens.slice(0, 1), 1, true));
  return {
    ready: Promise.all([probe.then((p) => p.ready), others.ready]).then(([a, b]) => a + b),
    finish: async (): Promise<WorkerReport> => {
      const [probed, counted] = await Promise.all([(await probe).finish(), others.finish()]);
      return { frames: counted.frames, arrivals: probed.arrivals };
    },
  };
}

async function countIncidents(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT count(*)::int AS n FROM incidents.incidents');
    return rows[0].n as number;
  } finally {
    await client.end();
  }
}

export async function run(argv: string[]) {
  const rate = option(argv, 'rate', 2_000);
  const seconds = option(argv, 'seconds', 10);
  const warmup = option(argv, 'warmup', 20);
  const clients = option(argv, 'clients', 200);
  const timeline = option(argv, 'timeline', 0) > 0;
  // The service's defaults unless given; 0 and 0 are the service as it was before 6 December.
  const feedFlushMs = option(argv, 'feed-flush-ms', NaN);
  const outboxLingerMs = option(argv, 'outbox-linger-ms', NaN);
  const infra = await startBenchInfra();
  const db = await createIsolatedDatabase(
    process.env.TEST_DATABASE_URL ?? infra.databaseUrl,
    'benchincidents',
  );
  const kafka = new Kafka({
    brokers: infra.brokers.split(','),
    clientId: 'bench-incidents',
    logLevel: logLevel.NOTHING,
  });
  process.stdout.write(
    `incidents: ${rate} matches/s for ${warmup} s of warm-up then ${seconds} s measured, ${clients} SSE clients` +
      `${Number.isNaN(feedFlushMs) ? '' : `, live-feed flush ${feedFlushMs} ms`}` +
      `${Number.isNaN(outboxLingerMs) ? '' : `, outbox linger ${outboxLingerMs} ms`}; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${cpus().length} cores\n`,
  );

  const baseline = await rawBaseline(kafka, infra.brokers, rate, seconds, warmup);
  process.stdout.write(`baseline (raw Kafka produce -> consume) done: p99 ${baseline.p99} ms\n`);

  const serviceName = `incidents-bench-${randomUUID().slice(0, 8)}`;
  const admin = kafka.admin();
  await admin.connect();
  await positionGroupAtEnd(admin, `safecity.${serviceName}`, [
    Topics.Matches,
    Topics.Alerts,
    Topics.CameraStatus,
    Topics.Cameras,
    Topics.CitizenReports,
  ]);
  await admin.disconnect();
  const issuer = await LocalIssuer.open({ directory: mkdtempSync(join(tmpdir(), 'bench-issuer-')) });
  const service = await startIncidents({
    databaseUrl: db.url,
    transport: { kind: 'kafka', connection: { brokers: infra.brokers, clientId: serviceName } },
    http: { port: 0 },
    grpcUrl: `127.0.0.1:${await freeLoopbackPort()}`,
    identity: { kind: 'local', issuer },
    runMigrations: true,
    serviceName,
    sessionTimeoutMs: 10_000,
    liveFeedFlushIntervalMs: Number.isNaN(feedFlushMs) ? undefined : feedFlushMs,
    outboxLingerMs: Number.isNaN(outboxLingerMs) ? undefined : outboxLingerMs,
  });
  // One operator per client: the service holds at most LIVE_STREAMS_PER_USER streams per person.
  const tokens = await Promise.all(
    Array.from(
      { length: clients },
      async (_, i) =>
        `Bearer ${await issuer.issue({ subject: `bench-operator-${i}`, roles: ['operator'], regions: ['ALA'], ttlSeconds: 3600 })}`,
    ),
  );
  const url = `${service.httpUrl}/incidents/stream`;

  const clientsRun = startClients(url, tokens, clients);
  const connected = await clientsRun.ready;
  // Let the consumer group settle before the clock starts.
  await new Promise((r) => setTimeout(r, 12_000));

  const runId = randomUUID().slice(0, 4).toUpperCase();
  const total = rate * (warmup + seconds);
  const warmed = rate * warmup;
  const plates = Array.from({ length: total }, (_, i) => `B${runId}${i.toString(36).toUpperCase()}`);
  process.stdout.write(`${connected} clients connected; producing ${total} matches...\n`);
  // One steady stream: the first `warmup` seconds of it let the service's code paths get compiled
  // and its connections warm before the measured part; both are reported.
  // CPU of the measured seconds: from the end of the warm-up to the end of the stream.
  let cpuAtWarm: CpuShares | null = null;
  let warmAt = 0;
  const warmTimer = setTimeout(() => {
    cpuAtWarm = cpuShares();
    warmAt = performance.now();
  }, warmup * 1000);
  const produced = await produceAtRate(
    infra.brokers,
    Topics.Matches,
    rate,
    warmup + seconds,
    plates.map((plate) => matchRecord(plate)),
  );
  clearTimeout(warmTimer);
  const cpuAtEnd = cpuShares();
  const cpuSeconds = (performance.now() - warmAt) / 1000;
  const produceSeconds = produced.seconds;
  const sentIndex = new Map(plates.map((plate, i) => [plate, i]));
  // Until the incidents stop coming (bounded): the probe's count is only known at the end.
  let lastChange = await countIncidents(db.url);
  for (let idle = 0, waited = 0; idle < 3 && waited < 120; waited++) {
    await new Promise((r) => setTimeout(r, 1_000));
    const now = await countIncidents(db.url);
    idle = now === lastChange && now >= total ? idle + 1 : 0;
    lastChange = now;
  }
  await new Promise((r) => setTimeout(r, 2_000));
  const report = await clientsRun.finish();
  const measured: number[] = [];
  const fromCold: number[] = [];
  const bySecond: number[][] = Array.from({ length: warmup + seconds }, () => []);
  // Where the time goes: `createdAt` is the database's clock at the start of the transaction that
  // opened the incident, so waiting for the consumer falls before it and the transaction, its
  // commit and the fan-out after it.
  const untilTransaction: number[] = [];
  const transactionToStream: number[] = [];
  for (const [title, arrivedAt, createdAt] of report.arrivals) {
    const i = sentIndex.get(title.slice(title.lastIndexOf(' ') + 1));
    if (i === undefined) continue;
    if (i >= warmed) {
      untilTransaction.push(createdAt - produced.sentAt[i]);
      transactionToStream.push(arrivedAt - createdAt);
    }
    const latency = arrivedAt - produced.sentAt[i];
    fromCold.push(latency);
    if (i >= warmed) measured.push(latency);
    bySecond[Math.min(bySecond.length - 1, Math.floor(i / rate))].push(latency);
  }
  const served = report.frames;
  const figures = quantiles(measured);
  await service.close();
  await db.drop();
  await infra.stop();

  process.stdout.write(
    `\n${table([
      { path: 'raw Kafka produce -> consume (baseline)', ...baseline },
      { path: `match on Kafka -> incident on SSE (after ${warmup} s)`, ...figures },
      { path: 'the same, from a cold start (warm-up included)', ...quantiles(fromCold) },
      { path: '  of which: match sent -> its transaction begins', ...quantiles(untilTransaction) },
      { path: '  of which: transaction begins -> incident on SSE', ...quantiles(transactionToStream) },
    ])}\n`,
  );
  if (timeline) {
    process.stdout.write(
      `\nlatency by the second the matches were sent in:\n${table(
        bySecond.map((samples, second) => ({ second: second + 1, ...quantiles(samples) })),
      )}\n`,
    );
  }
  if (cpuAtWarm && cpuAtEnd) {
    process.stdout.write(
      `\nCPU while the measured matches were produced (${cpuSeconds.toFixed(1)} s; the clients and ` +
        `the producer are threads of this process):\n` +
        `${table(cpuBetween(cpuAtWarm, cpuAtEnd, cpuSeconds, rate * cpuSeconds))}\n`,
    );
  }
  process.stdout.write(
    `\nproduced ${total} matches in ${produceSeconds.toFixed(1)} s (${Math.round(total / produceSeconds)}/s); ` +
      `SSE clients connected ${connected}/${clients}; incident frames per client min ${Math.min(...served)} ` +
      `max ${Math.max(...served)} (probe saw ${fromCold.length} created of ${total})\n`,
  );
}
