import 'reflect-metadata';
import * as net from 'net';
import { Metadata, status } from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ClientGrpcProxy,
  ClientProxyFactory,
  MicroserviceOptions,
  RpcException,
  Transport,
} from '@nestjs/microservices';
import * as protobuf from 'protobufjs';
import { firstValueFrom } from 'rxjs';
import {
  BatchGetCamerasRequest,
  BatchGetCamerasResponse,
  Camera,
  CameraCapability,
  CameraChanged,
  CameraLifecycle,
  CameraRegistryClient,
  CameraRegistryController,
  CameraRegistryControllerMethods,
  CameraRegistryGrpc,
  CameraStatus,
  CAMERA_REGISTRY_SERVICE_NAME,
  common,
  cameras,
  GetCameraRequest,
  GetCameraResponse,
  GrpcServices,
  grpcOptions,
  incidents,
  MountType,
  prevention,
  PROTO_ROOT,
  protoLoaderOptions,
  recognition,
  ResolveExternalCameraRequest,
  ResolveExternalCameraResponse,
  SAFECITY_CAMERAS_V1_PACKAGE_NAME,
} from './index';
import { sampleCamera } from './test-fixtures';

const CAMERA = sampleCamera();

@Controller()
@CameraRegistryControllerMethods()
class InMemoryCameraRegistry implements CameraRegistryController {
  readonly seenRegions: string[] = [];
  private readonly cameras = new Map([[CAMERA.id, CAMERA]]);

  add(camera: Camera): void {
    this.cameras.set(camera.id, camera);
  }

  getCamera(request: GetCameraRequest, metadata?: Metadata): GetCameraResponse {
    this.seenRegions.push(...((metadata?.get('x-region') as string[] | undefined) ?? []));
    const camera = this.cameras.get(request.id);
    if (!camera)
      throw new RpcException({ code: status.NOT_FOUND, message: `camera ${request.id} not found` });
    return { camera };
  }

  async batchGetCameras(request: BatchGetCamerasRequest): Promise<BatchGetCamerasResponse> {
    const found = request.ids.flatMap((id) => this.cameras.get(id) ?? []);
    return { cameras: found, missingIds: request.ids.filter((id) => !this.cameras.has(id)) };
  }

  resolveExternalCamera(request: ResolveExternalCameraRequest): ResolveExternalCameraResponse {
    const camera = [...this.cameras.values()].find(
      (c) => c.videoSystemId === request.videoSystemId && c.externalId === request.externalId,
    );
    if (!camera) throw new RpcException({ code: status.NOT_FOUND, message: 'no such external camera' });
    return { camera };
  }

  listOperationsCenters(): { operationsCenters: [] } {
    return { operationsCenters: [] };
  }

  getVideoSystem(): never {
    throw new RpcException({ code: status.NOT_FOUND, message: 'no video systems here' });
  }
}

@Module({ controllers: [InMemoryCameraRegistry] })
class CameraRegistryTestModule {}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('CameraRegistry over real gRPC (NestJS server and client)', () => {
  let app: INestMicroservice;
  let client: ClientGrpcProxy;
  let registry: CameraRegistryClient;
  let controller: InMemoryCameraRegistry;

  beforeAll(async () => {
    const url = `127.0.0.1:${await freePort()}`;
    app = await NestFactory.createMicroservice<MicroserviceOptions>(CameraRegistryTestModule, {
      transport: Transport.GRPC,
      options: { ...grpcOptions(CameraRegistryGrpc), url },
      logger: false,
    });
    await app.listen();
    controller = app.get(InMemoryCameraRegistry);

    client = ClientProxyFactory.create({
      transport: Transport.GRPC,
      options: { ...grpcOptions(CameraRegistryGrpc), url },
    });
    registry = client.getService<CameraRegistryClient>(CAMERA_REGISTRY_SERVICE_NAME);
  });

  afterAll(async () => {
    client?.close();
    await app?.close();
  });

  it('delivers the camera intact: Date timestamps, numeric enums, 64-bit version as number', async () => {
    const response = await firstValueFrom(registry.getCamera({ id: CAMERA.id }));

    expect(response).toEqual({ camera: CAMERA });
    const camera = response.camera!;
    expect(camera.updatedAt).toBeInstanceOf(Date);
    expect(camera.updatedAt!.toISOString()).toBe('2025-03-14T09:26:53.589Z');
    expect(camera.status).toBe(CameraStatus.CAMERA_STATUS_ONLINE);
    expect(camera.lifecycle).toBe(CameraLifecycle.CAMERA_LIFECYCLE_ACTIVE);
    expect(camera.mountType).toBe(MountType.MOUNT_TYPE_POLE);
    expect(camera.capabilities).toEqual([1, 3]);
    expect(typeof camera.version).toBe('number');
    expect(camera.version).toBe(1_099_511_627_783);
  });

  it('passes call metadata to the controller', async () => {
    const metadata = new Metadata();
    metadata.set('x-region', 'AST');
    await firstValueFrom(registry.getCamera({ id: CAMERA.id }, metadata));
    expect(controller.seenRegions).toContain('AST');
  });

  it('turns RpcException NOT_FOUND into a NOT_FOUND status at the client', async () => {
    const error = await firstValueFrom(registry.getCamera({ id: 'no-such-camera' })).then(
      () => {
        throw new Error('expected the call to fail');
      },
      (e: unknown) => e as { code?: number; details?: string },
    );
    expect(error.code).toBe(status.NOT_FOUND);
    expect(error.details).toBe('camera no-such-camera not found');
  });

  it('serves the batch and resolve calls with repeated and empty fields in ts-proto shape', async () => {
    const batch = await firstValueFrom(registry.batchGetCameras({ ids: [CAMERA.id, 'missing-1'] }));
    expect(batch).toEqual({ cameras: [CAMERA], missingIds: ['missing-1'] });

    const empty = await firstValueFrom(registry.batchGetCameras({ ids: [] }));
    expect(empty).toEqual({ cameras: [], missingIds: [] });

    const resolved = await firstValueFrom(
      registry.resolveExternalCamera({ videoSystemId: CAMERA.videoSystemId, externalId: CAMERA.externalId }),
    );
    expect(resolved.camera?.id).toBe(CAMERA.id);
  });

  it('delivers unset message and timestamp fields as null, like the ts-proto decoder', async () => {
    const bare = sampleCamera({
      id: 'bare',
      location: null,
      updatedAt: null,
      capabilities: [],
      privacyMasks: [],
    });
    controller.add(bare);

    const response = await firstValueFrom(registry.getCamera({ id: bare.id }));
    expect(response.camera).toEqual(bare);
    expect(response.camera).toEqual(Camera.decode(Camera.encode(bare).finish()));
  });
});

describe('proto-loader options agree with the ts-proto types', () => {
  const modules: Record<string, Record<string, unknown>> = {
    'safecity.common.v1': common,
    'safecity.cameras.v1': cameras,
    'safecity.recognition.v1': recognition,
    'safecity.incidents.v1': incidents,
    'safecity.prevention.v1': prevention,
  };

  interface Generated {
    decode(bytes: Uint8Array): unknown;
  }

  // protobufjs parses the files the same way proto-loader does for Nest (keepCase false).
  function loadLikeProtoLoader(): protobuf.Root {
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) => (target.startsWith('/') ? target : `${PROTO_ROOT}/${target}`);
    root.loadSync(
      Object.values(GrpcServices).map((service) => service.protoPath),
      { keepCase: false },
    );
    return root;
  }

  it('for the defaults of every message: same field names, same empty values', () => {
    const root = loadLikeProtoLoader();
    let checked = 0;
    for (const [pkg, module] of Object.entries(modules)) {
      const namespace = root.lookup(pkg) as protobuf.Namespace;
      for (const type of namespace.nestedArray.filter(
        (n): n is protobuf.Type => n instanceof protobuf.Type,
      )) {
        const generated = module[type.name] as Generated | undefined;
        expect(generated).toBeDefined();
        const viaProtoLoader = type.toObject(type.decode(new Uint8Array()), protoLoaderOptions);
        const viaTsProto = generated!.decode(new Uint8Array());
        expect({ [type.fullName]: normalizeBytes(viaProtoLoader) }).toEqual({
          [type.fullName]: normalizeBytes(viaTsProto),
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('on the wire: ts-proto bytes decode through proto-loader and back, unchanged', () => {
    const definition = protoLoader.loadSync(CameraRegistryGrpc.protoPath, CameraRegistryGrpc.loader);
    const getCamera = (
      definition[`${SAFECITY_CAMERAS_V1_PACKAGE_NAME}.CameraRegistry`] as protoLoader.ServiceDefinition
    ).GetCamera;
    const response: GetCameraResponse = {
      camera: sampleCamera({ capabilities: [CameraCapability.CAMERA_CAPABILITY_FACES] }),
    };

    const fromTsProto = getCamera.responseDeserialize(
      Buffer.from(GetCameraResponse.encode(response).finish()),
    ) as GetCameraResponse;
    expect(fromTsProto).toEqual(response);

    const toTsProto = GetCameraResponse.decode(getCamera.responseSerialize(response));
    expect(toTsProto).toEqual(response);

    // The event payload embeds the same Camera message, so Kafka and gRPC views agree.
    const changed = CameraChanged.decode(
      CameraChanged.encode({
        kind: cameras.CameraChangeKind.CAMERA_CHANGE_KIND_UPDATED,
        camera: response.camera,
      }).finish(),
    );
    expect(changed.camera).toEqual(fromTsProto.camera);
  });
});

/** protobufjs hands out Buffers for bytes fields, ts-proto Uint8Arrays; same bytes either way. */
function normalizeBytes(value: unknown): unknown {
  if (value instanceof Uint8Array) return Array.from(value);
  if (Array.isArray(value)) return value.map(normalizeBytes);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalizeBytes(v)]));
  }
  return value;
}
