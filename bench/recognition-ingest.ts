/**
 * `npm run bench -- recognition [--detections 200000] [--per-record 1] [--http 50000]`
 *
 * Detection ingestion with real Kafka and PostgreSQL: raw records on `safecity.detections.raw.v1`
 * through the recognition service's batch consumer (decode, validate, resolve cameras, normalise,
 * one transaction per consumed batch storing detections and their `DetectionObserved` outbox rows,
 * analysers), and canonical JSON batches of 1,000 through `POST /ingest/v1/detections`; beside
 * raw kafkajs consumption of the same records in the same run. The analysers are the ones the
 * service is given: here only a counter, since matching plugs into the same place.
 */
import { randomUUID } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CameraLifecycle,
  CameraStatus,
  EventTypes,
  IngestionMethod,
  MountType,
  recognition,
  Topics,
  type Camera,
} from '@safecity/contracts';
import { cloudEventHeaders, OUTBOX_BATCH_HEADER } from '@safecity/messaging';
import { createIsolatedDatabase, freeLoopbackPort, UnitOfWork } from '@safecity/persistence';
import { ApiKeyStore, LocalIssuer, RegionAccess } from '@safecity/security';
import { migrateRecognition, startRecognition } from '@safecity/recognition';
import { DataSource } from 'typeorm';
import { recognitionDataSourceOptions } from '../services/recognition/src/recognition.module';
import { CameraDirectoryRepository } from '../services/recognition/src/camera-directory/camera-directory.repository';
import { Kafka, logLevel, type Message } from 'kafkajs';
import { option, rate, seededRandom, startBenchInfra, Stopwatch, table, withTimeout } from './infra';

const CAMERAS = 500;
const PRODUCE_BATCH = 2_000;
const HTTP_BATCH = 1_000;
const HTTP_CONCURRENCY = 4;

function camera(videoSystemId: string, n: number): Camera {
  return {
    id: randomUUID(),
    regionCode: 'ALA',
    districtCode: '',
    videoSystemId,
    externalId: `bench-cam-${n}`,
    name: `Bench camera ${n}`,
    location: { lat: 43.2 + n / 10_000, lon: 76.9 },
    address: '',
    directionDeg: 0,
    fieldOfViewDeg: 90,
    mountType: MountType.MOUNT_TYPE_POLE,
    capabilities: [],
    privacyMasks: [],
    tags: [],
    lifecycle: CameraLifecycle.CAMERA_LIFECYCLE_ACTIVE,
    status: CameraStatus.CAMERA_STATUS_ONLINE,
    version: 1,
    updatedAt: new Date(),
  };
}

const LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';

function submission(random: () => number, run: string, n: number): recognition.DetectionSubmission {
  const letters = Array.from({ length: 3 }, () => LETTERS[Math.floor(random() * LETTERS.length)]).join('');
  return {
    vendorEventId: `${run}-${n}`,
    cameraExternalId: `bench-cam-${Math.floor(random() * CAMERAS)}`,
    observedAt: new Date(),
    kind: recognition.DetectionKind.DETECTION_KIND_PLATE,
    frameBox: { x: random() * 0.8, y: random() * 0.8, width: 0.1, height: 0.05 },
    media: [],
    plate: {
      text: `${String(Math.floor(random() * 1000)).padStart(3, '0')}${letters}02`,
      country: 'KZ',
      confidence: 0.8 + random() * 0.2,
      vehicle: null,
      direction: recognition.TravelDirection.TRAVEL_DIRECTION_APPROACHING,
    },
  };
}

async function resetToEnd(kafka: Kafka, groupId: string, topics: string[]) {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: topics.map((topic) => ({ topic, numPartitions: 3 })),
    waitForLeaders: true,
  });
  // Explicit offsets: resetOffsets would commit "latest" as -1, which resolves when the group joins.
  for (const topic of topics) {
    const ends = await admin.fetchTopicOffsets(topic);
    await admin.setOffsets({
      groupId,
      topic,
      partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })),
    });
  }
  await admin.disconnect();
}

async function produceRaw(kafka: Kafka, videoSystemId: string, detections: number, perRecord: number) {
  const random = seededRandom(7);
  const run = randomUUID().slice(0, 8);
  const messages: Message[] = [];
  for (let n = 0; n < detections; n += perRecord) {
    const batch = Array.from({ length: Math.min(perRecord, detections - n) }, (_, i) =>
      submission(random, run, n + i),
    );
    const payload =
      batch.length === 1
        ? recognition.DetectionSubmission.encode(batch[0]!).finish()
        : recognition.DetectionSubmissionBatch.encode({ detections: batch }).finish();
    const value = recognition.RawDetectionReceived.encode({
      raw: {
        videoSystemId,
        vendorEventId: '',
        ingestionMethod: IngestionMethod.INGESTION_METHOD_CANONICAL_PUSH,
        contentType:
          batch.length === 1
            ? 'application/x-protobuf; proto=safecity.recognition.v1.DetectionSubmission'
            : 'application/x-protobuf',
        payload,
        receivedAt: new Date(),
        regionCode: 'ALA',
      },
    }).finish();
    const id = randomUUID();
    // Keyed by camera rather than by system, so one system's load spreads over the partitions.
    const key = batch[0]!.cameraExternalId;
    messages.push({
      key,
      value: Buffer.from(value),
      headers: cloudEventHeaders(
        {
          id,
          topic: Topics.DetectionsRaw,
          key,
          type: EventTypes.RawDetectionReceived,
          payload: value,
          region: 'ALA',
        },
        '/bench/vms-bridge',
      ),
    });
  }
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 5 });
  await producer.connect();
  const t0 = performance.now();
  // Requests stay under the broker's 1 MB limit whatever the records carry.
  const perRequest = Math.max(1, Math.floor(PRODUCE_BATCH / perRecord));
  for (let i = 0; i < messages.length; i += perRequest) {
    await producer.send({
      topic: Topics.DetectionsRaw,
      acks: -1,
      messages: messages.slice(i, i + perRequest),
    });
  }
  const produceMs = performance.now() - t0;
  await producer.disconnect();
  return { records: messages.length, produceMs };
}

async function rawConsume(kafka: Kafka, groupId: string, records: number) {
  const watch = new Stopwatch(records);
  const consumer = kafka.consumer({ groupId, maxBytesPerPartition: 4 * 1024 * 1024, maxWaitTimeInMs: 1_000 });
  await consumer.connect();
  await consumer.subscribe({ topic: Topics.DetectionsRaw, fromBeginning: false });
  await consumer.run({
    partitionsConsumedConcurrently: 3,
    eachBatch: async ({ batch }) => watch.tick(batch.messages.length),
  });
  await withTimeout(watch.done, 300_000, 'raw consumption');
  await consumer.disconnect();
  return watch.ms;
}

function post(agent: Agent, url: URL, key: string, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': body.length, 'x-api-key': key },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function httpIngest(baseUrl: string, key: string, detections: number) {
  const random = seededRandom(11);
  const run = randomUUID().slice(0, 8);
  const bodies: Buffer[] = [];
  for (let n = 0; n < detections; n += HTTP_BATCH) {
    const batch = Array.from({ length: Math.min(HTTP_BATCH, detections - n) }, (_, i) => {
      const s = submission(random, run, n + i);
      return {
        vendorEventId: s.vendorEventId,
        cameraExternalId: s.cameraExternalId,
        observedAt: s.observedAt!.toISOString(),
        kind: 'plate',
        frameBox: s.frameBox,
        plate: {
          text: s.plate!.text,
          country: 'KZ',
          confidence: s.plate!.confidence,
          direction: 'approaching',
        },
      };
    });
    bodies.push(Buffer.from(JSON.stringify({ detections: batch })));
  }
  const agent = new Agent({ keepAlive: true, maxSockets: HTTP_CONCURRENCY });
  const url = new URL('/ingest/v1/detections', baseUrl);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: HTTP_CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const status = await post(agent, url, key, body);
        if (status !== 200) throw new Error(`ingest answered ${status}`);
      }
    }),
  );
  const ms = performance.now() - t0;
  agent.destroy();
  return ms;
}

function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

/** Samples this process's CPU while the service consumes, for `--cpu-profile <file>`. */
async function startCpuProfile(file: string | undefined) {
  if (!file) return async () => undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    process.stdout.write(`CPU profile of the consumption written to ${file}\n`);
  };
}

/**
 * Samples what this process allocates while the service consumes, for `--heap-profile <file>`:
 * objects the collector has already freed count too, as they are what keeps it busy.
 */
async function startHeapProfile(file: string | undefined) {
  if (!file) return async () => undefined;
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  return async () => {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    process.stdout.write(`allocation profile of the consumption written to ${file}\n`);
  };
}

export async function run(argv: string[]) {
  // A log line per request would measure the logger.
  process.env.LOG_LEVEL ??= 'warn';
  const detections = option(argv, 'detections', 200_000);
  const perRecord = option(argv, 'per-record', 1);
  const httpDetections = option(argv, 'http', 50_000);
  const profileAt = argv.indexOf('--cpu-profile');
  const profileFile = profileAt >= 0 ? argv[profileAt + 1] : undefined;
  const heapProfileAt = argv.indexOf('--heap-profile');
  const heapProfileFile = heapProfileAt >= 0 ? argv[heapProfileAt + 1] : undefined;
  const infra = await startBenchInfra();
  const db = await createIsolatedDatabase(infra.databaseUrl, 'bench_recognition');
  const kafka = new Kafka({
    brokers: infra.brokers.split(','),
    clientId: 'bench-recognition',
    logLevel: logLevel.NOTHING,
  });
  const consumerName = `recognition-bench-${randomUUID().slice(0, 8)}`;
  const rawGroup = `bench-raw-detections-${randomUUID().slice(0, 8)}`;
  const issuer = await LocalIssuer.open({ directory: mkdtempSync(join(tmpdir(), 'bench-issuer-')) });
  const videoSystemId = randomUUID();
  let service: Awaited<ReturnType<typeof startRecognition>> | undefined;
  try {
    // Both groups start at the end of the shared topic: they read exactly this run's records.
    await resetToEnd(kafka, `safecity.${consumerName}`, [
      Topics.DetectionsRaw,
      `${Topics.DetectionsRaw}.retry`,
      Topics.Cameras,
      `${Topics.Cameras}.retry`,
    ]);
    await resetToEnd(kafka, rawGroup, [Topics.DetectionsRaw]);
    process.stdout.write(
      `recognition ingestion benchmark: ${detections} detections on ${Topics.DetectionsRaw} ` +
        `(${perRecord} per record), ${httpDetections} over HTTP in batches of ${HTTP_BATCH}, ` +
        `${CAMERAS} cameras, brokers ${infra.brokers}\n`,
    );
    const produced = await produceRaw(kafka, videoSystemId, detections, perRecord);
    process.stdout.write(`produced ${produced.records} records; raw kafkajs consumption...\n`);
    const rawMs = await rawConsume(kafka, rawGroup, produced.records);
    const rawLoad = loadAverage();
    process.stdout.write(`recognition consumption (load average ${loadAverage()})...\n`);

    // Schema and cameras first: the consumer starts reading as soon as the service is up.
    await migrateRecognition(db.url);
    // As the schema owner: progress is counted across every region, beneath row-level security.
    const dataSource = await new DataSource(recognitionDataSourceOptions(db.url, 'migrations')).initialize();
    const directory = new CameraDirectoryRepository(new RegionAccess(new UnitOfWork(dataSource)));
    for (let n = 0; n < CAMERAS; n++) await directory.upsert(camera(videoSystemId, n));
    const stored = async () =>
      Number((await dataSource.query('SELECT count(*)::int AS n FROM recognition.detections'))[0].n);
    // The WAL the consumption writes (detections, outbox rows and their deletion), for sizing.
    const walAtStart = await walPosition(dataSource);
    const stopProfile = await startCpuProfile(profileFile);
    const stopHeapProfile = await startHeapProfile(heapProfileFile);
    service = await startRecognition({
      databaseUrl: db.url,
      transport: { kind: 'kafka', connection: { brokers: infra.brokers, clientId: 'recognition-bench' } },
      http: { port: 0 },
      cameraRegistryGrpcUrl: `127.0.0.1:${await freeLoopbackPort()}`,
      identity: { kind: 'local', issuer },
      runMigrations: false,
      eventConsumerName: consumerName,
    });
    // Progress is read from the detections table: from the first stored detection to the last.
    let first = 0;
    let last = 0;
    let firstCount = 0;
    let cpuAtFirst = process.cpuUsage();
    let loopAtFirst = performance.eventLoopUtilization();
    const deadline = performance.now() + 900_000;
    for (;;) {
      const n = await stored();
      const now = performance.now();
      if (n > 0 && first === 0) {
        first = now;
        firstCount = n;
        cpuAtFirst = process.cpuUsage();
        loopAtFirst = performance.eventLoopUtilization();
      }
      if (n >= detections) {
        last = now;
        break;
      }
      if (now > deadline) throw new Error(`raw detection ingestion stored ${n} of ${detections} in 900 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const kafkaMs = last - first;
    // This process is the service plus a poll every 50 ms: its CPU per detection is the service's,
    // a figure that moves less with the machine's other load than the rate does.
    const cpu = process.cpuUsage(cpuAtFirst);
    const cpuPerDetection = (cpu.user + cpu.system) / Math.max(1, detections - firstCount);
    const loopBusy = performance.eventLoopUtilization(loopAtFirst).utilization;
    const kafkaLoad = loadAverage();
    await stopProfile();
    await stopHeapProfile();
    // The rate counts stored detections; their events must also reach Kafka, so the backlog the
    // relay had left at that moment, and how long it took to clear, are part of the figure.
    const queued = async () =>
      Number(
        (
          await dataSource.query(
            `SELECT coalesce(sum(coalesce((headers->>'${OUTBOX_BATCH_HEADER}')::int, 1)), 0)::int AS n FROM recognition.outbox`,
          )
        )[0].n,
      );
    const backlog = await queued();
    const drainStart = performance.now();
    while ((await queued()) > 0) {
      if (performance.now() - drainStart > 120_000) throw new Error('the outbox did not drain in 120 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const drainMs = performance.now() - drainStart;
    const storage = await detectionStorage(dataSource, walAtStart, detections);

    process.stdout.write('HTTP batches...\n');
    const key = (await service.app.get(ApiKeyStore).issue({ videoSystemId, regionCode: 'ALA' })).apiKey;
    const httpMs = await httpIngest(service.httpUrl, key, httpDetections);
    const httpLoad = loadAverage();
    const total = await stored();
    if (total !== detections + httpDetections)
      throw new Error(`stored ${total} of ${detections + httpDetections}`);
    await dataSource.destroy();

    process.stdout.write(
      `${table([
        {
          path: `raw kafkajs consumption of the same ${produced.records} records (no processing)`,
          'detections/s': rate(detections, rawMs),
          'records/s': rate(produced.records, rawMs),
          'load average after': rawLoad,
        },
        {
          path: `${Topics.DetectionsRaw} -> normalise -> store + outbox + plate, face and behaviour analysers`,
          'detections/s': rate(detections, kafkaMs),
          'records/s': rate(produced.records, kafkaMs),
          'load average after': kafkaLoad,
        },
        {
          path: `POST /ingest/v1/detections, JSON batches of ${HTTP_BATCH}, ${HTTP_CONCURRENCY} clients`,
          'detections/s': rate(httpDetections, httpMs),
          'records/s': '-',
          'load average after': httpLoad,
        },
      ])}\n`,
    );
    process.stdout.write(
      `outbox when the last detection was stored: ${backlog} events, published ${Math.round(drainMs)} ms later; ` +
        `first stored detection to last event published: ${rate(detections, kafkaMs + drainMs)} detections/s\n`,
    );
    process.stdout.write(
      `stored per detection: ${storage.heapBytes} bytes of table, ${storage.indexBytes} of indexes, ` +
        `${storage.toastBytes} of TOAST; WAL from the service's start to the drained outbox: ${storage.walBytes} bytes\n`,
    );
    process.stdout.write(
      `service process CPU from the first stored detection to the last: ${cpuPerDetection.toFixed(1)} µs per detection, ` +
        `event loop busy ${(loopBusy * 100).toFixed(0)}% of the time\n`,
    );
    process.stdout.write(
      `produced ${produced.records} records at ${rate(produced.records, produced.produceMs)}/s\n`,
    );
  } finally {
    await service?.close().catch(() => undefined);
    await db.drop().catch(() => undefined);
    await infra.stop();
  }
}

async function walPosition(dataSource: DataSource): Promise<string> {
  return (await dataSource.query('SELECT pg_current_wal_lsn()::text AS lsn'))[0].lsn as string;
}

/**
 * Bytes per stored detection of the detections table (heap, indexes, TOAST), and the WAL written
 * since `walFrom` per detection: the figures PostgreSQL's size and WAL volume are planned from
 * (docs/capacity.md). The WAL is the whole server's, which in the benchmark is this run alone.
 */
async function detectionStorage(dataSource: DataSource, walFrom: string, detections: number) {
  const [{ wal }] = await dataSource.query(
    'SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn) AS wal',
    [walFrom],
  );
  // Sizes as a table settles: after the vacuum that autovacuum would run on it.
  await dataSource.query('VACUUM (ANALYZE) recognition.detections');
  const [row] = await dataSource.query(
    `SELECT pg_relation_size('recognition.detections') AS heap,
            pg_indexes_size('recognition.detections') AS indexes,
            pg_total_relation_size('recognition.detections') - pg_relation_size('recognition.detections')
              - pg_indexes_size('recognition.detections') AS toast,
            (SELECT count(*) FROM recognition.detections) AS n`,
  );
  const per = (bytes: string) => Math.round(Number(bytes) / Math.max(1, Number(row.n)));
  return {
    heapBytes: per(row.heap),
    indexBytes: per(row.indexes),
    toastBytes: per(row.toast),
    walBytes: Math.round(Number(wal) / detections),
  };
}
