import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { getDataSourceToken } from '@nestjs/typeorm';
import {
  CameraLifecycle,
  CameraStatus,
  grpcOptions,
  recognition,
  RecognitionGrpc,
  Topics,
  type Camera,
} from '@safecity/contracts';
import { InProcessBus, type ConsumedRecord } from '@safecity/messaging';
import { freeLoopbackPort } from '@safecity/persistence';
import type { RunningServiceApp } from '@safecity/service-kit';
import { createTestDatabase, createTestIdentity, type TestIdentity } from '@safecity/testing';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { startRecognition } from '../src/bootstrap';
import {
  CameraDirectoryRepository,
  type DirectoryCamera,
} from '../src/camera-directory/camera-directory.repository';
import type { IngestionOverrides } from '../src/ingestion/ingestion-settings';
import type { MatchingOptions } from '../src/matching.module';
import type { AcceptedDetection, DetectionAnalyser } from '../src/pipeline/detection-analysis';
import { RECOGNITION_SCHEMA } from '../src/schema';
import { RegionAccess, RegionScope } from '@safecity/security';

export interface MatchingWorld {
  service: RunningServiceApp;
  identity: TestIdentity;
  bus: InProcessBus;
  published: ConsumedRecord[];
  dataSource: DataSource;
  /** The service's region access over its unit of work. */
  access: RegionAccess;
  grpcUrl: string;
  as(
    roles: Parameters<TestIdentity['bearer']>[0],
    regions?: string[] | 'all',
    subject?: string,
  ): Promise<ReturnType<typeof request.agent>>;
  camera(regionCode: string, extra?: Partial<Camera>): Promise<DirectoryCamera>;
  /** A query as the service's role seeing every region (row-level security applies to it). */
  sql<T = any>(query: string, params?: unknown[]): Promise<T[]>;
  /** Runs analysers over the batch in one transaction, as ingestion does after storing it. */
  analyse(analysers: DetectionAnalyser[], batch: AcceptedDetection[]): Promise<void>;
  close(): Promise<void>;
}

export async function startMatchingWorld(
  prefix: string,
  matching: MatchingOptions = {},
  ingestion?: IngestionOverrides,
): Promise<MatchingWorld> {
  const db = await createTestDatabase(prefix);
  const identity = await createTestIdentity();
  const bus = new InProcessBus();
  const published: ConsumedRecord[] = [];
  bus.subscribe(
    `observer-${prefix}`,
    [Topics.Matches, Topics.Alerts, Topics.Audit],
    async (r) => void published.push(r),
  );
  const grpcUrl = `127.0.0.1:${await freeLoopbackPort()}`;
  const service = await startRecognition({
    databaseUrl: db.url,
    transport: { kind: 'in-process', bus },
    http: { port: 0 },
    cameraRegistryGrpcUrl: `127.0.0.1:${await freeLoopbackPort()}`,
    identity: identity.identity,
    runMigrations: true,
    grpcUrl,
    ingestion,
    // Suites run retention themselves (runOnce), never on the job's own schedule.
    matching: { watchlistPollMs: 200, scheduleRetention: false, ...matching },
  });
  const dataSource = service.app.get<DataSource>(getDataSourceToken(RECOGNITION_SCHEMA));
  const directory = service.app.get(CameraDirectoryRepository);
  const access = service.app.get(RegionAccess);
  return {
    service,
    identity,
    bus,
    published,
    dataSource,
    access,
    grpcUrl,
    as: async (roles, regions = 'all', subject = 'test-user') =>
      request.agent(service.httpUrl).set('authorization', await identity.bearer(roles, regions, subject)),
    camera: async (regionCode, extra = {}) => {
      const id = randomUUID();
      await directory.upsert({
        id,
        regionCode,
        districtCode: '',
        videoSystemId: randomUUID(),
        externalId: `cam-${id.slice(0, 8)}`,
        name: `Camera ${id.slice(0, 8)}`,
        location: { lat: 43.24, lon: 76.95 },
        capabilities: [],
        privacyMasks: [],
        tags: [],
        lifecycle: CameraLifecycle.CAMERA_LIFECYCLE_ACTIVE,
        status: CameraStatus.CAMERA_STATUS_ONLINE,
        version: 1,
        updatedAt: new Date(),
        ...extra,
      } as Camera);
      const found = await directory.findById(id, RegionScope.allRegions());
      if (!found) throw new Error('camera not stored');
      return found;
    },
    sql: (query, params) => access.run(RegionScope.allRegions(), (manager) => manager.query(query, params)),
    analyse: (analysers, batch) =>
      access.run(RegionScope.allRegions(), async (manager) => {
        for (const analyser of analysers) await analyser.analyse(batch, manager);
      }),
    close: async () => {
      await service.close();
      await db.drop();
    },
  };
}

/** A detection as ingestion hands it to the analysers. */
export function detectionAt(
  camera: DirectoryCamera,
  observation: Pick<recognition.Detection, 'plate' | 'face' | 'behaviour'>,
  extra: Partial<recognition.Detection> = {},
): AcceptedDetection {
  const kind = observation.plate
    ? recognition.DetectionKind.DETECTION_KIND_PLATE
    : observation.face
      ? recognition.DetectionKind.DETECTION_KIND_FACE
      : recognition.DetectionKind.DETECTION_KIND_BEHAVIOUR;
  return {
    camera,
    detection: {
      ...recognition.Detection.fromPartial({
        id: `det-${randomUUID()}`,
        kind,
        cameraId: camera.id,
        videoSystemId: camera.videoSystemId,
        regionCode: camera.regionCode,
        vendorEventId: randomUUID(),
        observedAt: new Date(),
        receivedAt: new Date(),
        location: { lat: camera.lat, lon: camera.lon },
      }),
      ...observation,
      ...extra,
    },
  };
}

type GrpcCall = (
  req: unknown,
  md: grpc.Metadata,
  cb: (err: grpc.ServiceError | null, res: any) => void,
) => void;

/** A plain grpc-js client of the Recognition service, authenticated as the given token. */
export function recognitionClient(url: string) {
  const options = grpcOptions(RecognitionGrpc);
  const definition = protoLoader.loadSync(options.protoPath, options.loader);
  const pkg = grpc.loadPackageDefinition(definition) as any;
  const client = new pkg.safecity.recognition.v1.Recognition(
    url,
    grpc.credentials.createInsecure(),
  ) as Record<string, GrpcCall> & { close(): void };
  return {
    call<T>(method: string, req: unknown, token: string): Promise<T> {
      const metadata = new grpc.Metadata();
      metadata.set('authorization', `Bearer ${token}`);
      return new Promise((resolve, reject) =>
        client[method].call(client, req, metadata, (err, res) => (err ? reject(err) : resolve(res))),
      );
    },
    close: () => client.close(),
  };
}

export const inAWeek = () => new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString();
