import { randomUUID } from 'node:crypto';
import {
  Camera,
  CameraChanged,
  CameraChangeKind,
  CameraLifecycle,
  CameraStatus,
  EventTypes,
  MountType,
  Topics,
} from '@safecity/contracts';
import { cloudEventHeaders, type BusTransport, type InProcessBus } from '@safecity/messaging';
import { freeLoopbackPort } from '@safecity/persistence';
import { ApiKeyStore } from '@safecity/security';
import type { RunningServiceApp } from '@safecity/service-kit';
import { eventually, type TestIdentity } from '@safecity/testing';
import type { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import { startRecognition, type RecognitionRuntime } from '../src/bootstrap';
import type { AcceptedDetection, DetectionAnalyser, FaceTemplateStore } from '../src/pipeline';

/** Starts recognition on a test database; camera-registry's gRPC port is left closed. */
export async function startTestRecognition(
  databaseUrl: string,
  identity: TestIdentity,
  transport: BusTransport,
  extra: Partial<RecognitionRuntime> = {},
): Promise<RunningServiceApp> {
  return startRecognition({
    databaseUrl,
    transport,
    http: { port: 0 },
    cameraRegistryGrpcUrl: `127.0.0.1:${await freeLoopbackPort()}`,
    identity: identity.identity,
    runMigrations: true,
    ...extra,
  });
}

export function testCamera(overrides: Partial<Camera> = {}): Camera {
  return {
    id: randomUUID(),
    regionCode: 'ALA',
    districtCode: '',
    videoSystemId: randomUUID(),
    externalId: `cam-${randomUUID().slice(0, 8)}`,
    name: 'Abay ave. / Dostyk ave.',
    location: { lat: 43.2383, lon: 76.9454 },
    address: 'Almaty',
    directionDeg: 90,
    fieldOfViewDeg: 90,
    mountType: MountType.MOUNT_TYPE_POLE,
    capabilities: [],
    privacyMasks: [
      {
        name: 'residential windows',
        polygon: [
          { x: 0, y: 0 },
          { x: 0.2, y: 0 },
          { x: 0.2, y: 0.2 },
          { x: 0, y: 0.2 },
        ],
      },
    ],
    tags: [],
    lifecycle: CameraLifecycle.CAMERA_LIFECYCLE_ACTIVE,
    status: CameraStatus.CAMERA_STATUS_ONLINE,
    version: 1,
    updatedAt: new Date(),
    ...overrides,
  };
}

/** Publishes a camera as camera-registry does, and waits until recognition's directory holds it. */
export async function publishCamera(bus: InProcessBus, pg: Client, camera: Camera): Promise<void> {
  const payload = CameraChanged.encode({
    camera,
    kind:
      camera.lifecycle === CameraLifecycle.CAMERA_LIFECYCLE_DECOMMISSIONED
        ? CameraChangeKind.CAMERA_CHANGE_KIND_DECOMMISSIONED
        : CameraChangeKind.CAMERA_CHANGE_KIND_REGISTERED,
  }).finish();
  const id = randomUUID();
  bus.publish([
    {
      topic: Topics.Cameras,
      key: camera.id,
      value: Buffer.from(payload),
      headers: cloudEventHeaders(
        {
          id,
          topic: Topics.Cameras,
          key: camera.id,
          type: EventTypes.CameraRegistered,
          payload,
          region: camera.regionCode,
        },
        '/safecity/camera-registry',
      ),
    },
  ]);
  await eventually(
    async () =>
      (
        await pg.query('SELECT 1 FROM recognition.camera_directory WHERE id = $1 AND version >= $2', [
          camera.id,
          camera.version,
        ])
      ).rowCount,
    { message: `camera ${camera.id} in the directory` },
  );
}

export async function issueKey(service: RunningServiceApp, videoSystemId: string, regionCode = 'ALA') {
  return (await service.app.get(ApiKeyStore).issue({ videoSystemId, regionCode })).apiKey;
}

/** Records every detection it is given, in the storing transaction, and takes face templates. */
export class ProbeAnalyser implements DetectionAnalyser {
  readonly name = 'probe';
  failNext = false;
  readonly templates: { ref: string; dims: number; model: string }[] = [];

  constructor(private readonly store: FaceTemplateStore) {}

  async analyse(batch: readonly AcceptedDetection[], manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO recognition.analyser_probe (detection_id, txid) SELECT unnest($1::uuid[]), txid_current()`,
      [batch.map((a) => a.detection.id)],
    );
    for (const { detection } of batch) {
      if (!detection.face?.templateRef) continue;
      const template = this.store.take(detection.face.templateRef);
      this.templates.push({
        ref: detection.face.templateRef,
        dims: template?.vector.length ?? 0,
        model: template?.model ?? '',
      });
    }
    if (this.failNext) {
      this.failNext = false;
      throw new Error('analyser failed');
    }
  }
}

/** The table the probe analyser writes to, as the matching half's tables would be written to. */
export async function createProbeTable(pg: Client) {
  await pg.query(
    `CREATE TABLE recognition.analyser_probe (detection_id uuid NOT NULL, txid bigint NOT NULL)`,
  );
  await pg.query(`GRANT SELECT, INSERT ON recognition.analyser_probe TO recognition_app`);
}
