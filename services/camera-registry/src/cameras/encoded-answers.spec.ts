import { loadSync } from '@grpc/proto-loader';
import {
  CAMERA_REGISTRY_SERVICE_NAME,
  CameraCapability,
  CameraLifecycle,
  CameraStatus,
  MountType,
  CameraRegistryGrpc,
  grpcOptions,
  ResolveExternalCameraResponse,
  SAFECITY_CAMERAS_V1_PACKAGE_NAME,
  type Camera,
} from '@safecity/contracts';
import { CameraLookupCache } from './camera-lookup.cache';
import { deepFreeze, encodeFrozenAnswersOnce, resolveAnswerOf } from './encoded-answers';

const SERVICE = `${SAFECITY_CAMERAS_V1_PACKAGE_NAME}.${CAMERA_REGISTRY_SERVICE_NAME}`;

function camera(name = 'Abay ave. / Dostyk ave.'): Camera {
  return {
    id: '0b8f6c1e-3d2a-4f7b-9c61-5e2d8a4b7f10',
    regionCode: 'ALA',
    districtCode: 'ALA-MED',
    videoSystemId: 'f4a2d9e0-7b1c-4e38-a5d6-2c9b8e1f0a37',
    externalId: 'ch-17',
    name,
    location: { lat: 43.2389, lon: 76.9453 },
    address: 'Almaty, Dostyk ave. 85',
    directionDeg: 90,
    fieldOfViewDeg: 75,
    mountType: MountType.MOUNT_TYPE_POLE,
    capabilities: [CameraCapability.CAMERA_CAPABILITY_PLATES, CameraCapability.CAMERA_CAPABILITY_BEHAVIOUR],
    privacyMasks: [
      {
        name: 'windows',
        polygon: [
          { x: 0.1, y: 0.1 },
          { x: 0.5, y: 0.1 },
          { x: 0.5, y: 0.4 },
        ],
      },
    ],
    tags: ['school'],
    lifecycle: CameraLifecycle.CAMERA_LIFECYCLE_ACTIVE,
    status: CameraStatus.CAMERA_STATUS_ONLINE,
    version: 7,
    updatedAt: new Date('2026-11-20T08:00:00Z'),
  };
}

function loadMethod() {
  const options = grpcOptions(CameraRegistryGrpc);
  const definition = loadSync(options.protoPath, options.loader);
  const method = (definition[SERVICE] as unknown as Record<string, { responseSerialize(v: unknown): Buffer }>)
    .ResolveExternalCamera;
  return { definition, method, plain: method.responseSerialize };
}

describe('answers of ResolveExternalCamera encoded once', () => {
  it('sends the same bytes protobufjs would, computing them once per frozen answer', () => {
    const { definition, method, plain } = loadMethod();
    const encode = jest.fn(plain);
    method.responseSerialize = encode;
    encodeFrozenAnswersOnce(definition, SERVICE, 'ResolveExternalCamera');

    const answer = resolveAnswerOf(deepFreeze(camera()));
    const first = method.responseSerialize(answer);
    const again = method.responseSerialize(answer);
    expect(again).toBe(first);
    expect(encode).toHaveBeenCalledTimes(1);
    expect(Buffer.compare(first, plain({ camera: camera() }))).toBe(0);
    expect(ResolveExternalCameraResponse.decode(first).camera).toMatchObject({
      name: 'Abay ave. / Dostyk ave.',
      privacyMasks: [{ name: 'windows' }],
      version: 7,
    });
  });

  it('encodes answers that can change on every call', () => {
    const { definition, method, plain } = loadMethod();
    encodeFrozenAnswersOnce(definition, SERVICE, 'ResolveExternalCamera');
    const mutable = camera();
    const answer = resolveAnswerOf(mutable);
    expect(Object.isFrozen(answer)).toBe(false);
    method.responseSerialize(answer);
    mutable.name = 'renamed';
    expect(Buffer.compare(method.responseSerialize(answer), plain({ camera: camera('renamed') }))).toBe(0);
  });

  it('gives one answer per cached camera and a new one once the camera changed', () => {
    const cache = new CameraLookupCache();
    cache.set('*', 'vs', 'ch-17', camera());
    const cached = cache.get('*', 'vs', 'ch-17') as Camera;
    expect(Object.isFrozen(cached.privacyMasks[0].polygon[0])).toBe(true);
    expect(() => cached.tags.push('market')).toThrow(TypeError);
    expect(resolveAnswerOf(cached)).toBe(resolveAnswerOf(cached));

    cache.invalidate('vs', 'ch-17');
    cache.set('*', 'vs', 'ch-17', camera('renamed'));
    const renamed = cache.get('*', 'vs', 'ch-17') as Camera;
    expect(resolveAnswerOf(renamed)).not.toBe(resolveAnswerOf(cached));
    expect(resolveAnswerOf(renamed).camera?.name).toBe('renamed');
  });

  it('refuses a method the package does not have', () => {
    const { definition } = loadMethod();
    expect(() => encodeFrozenAnswersOnce(definition, SERVICE, 'ResolveInternalCamera')).toThrow(
      /no gRPC method/,
    );
  });
});
