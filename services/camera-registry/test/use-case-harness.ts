import { Topics } from '@safecity/contracts';
import type { Principal } from '@safecity/security';
import { startUseCaseHarness as startServiceUseCases, type UseCaseHarness } from '@safecity/testing';
import { migrateCameraRegistry } from '../src/bootstrap';
import { CAMERA_REGISTRY_SCHEMA, CameraRegistryModule } from '../src/camera-registry.module';
import type { CameraEntity } from '../src/cameras/camera.entity';
import { RegisterCameraUseCase } from '../src/cameras/use-cases';
import { CreateVideoSystemUseCase } from '../src/video-systems/use-cases';
import type { VideoSystemEntity } from '../src/video-systems/video-system.entity';

export type { UseCaseHarness };

/** camera-registry's use cases on a database of their own; `published`: `safecity.cameras.v1`. */
export function startUseCaseHarness(prefix: string): Promise<UseCaseHarness> {
  return startServiceUseCases({
    prefix,
    schema: CAMERA_REGISTRY_SCHEMA,
    migrate: migrateCameraRegistry,
    observe: [Topics.Cameras],
    module: ({ databaseUrl, bus, identity }) =>
      CameraRegistryModule.forRoot({
        databaseUrl,
        transport: { kind: 'in-process', bus },
        identity,
        scheduleRetention: false,
      }),
  });
}

/** A video system of Almaty, registered by `admin`. */
export async function anAlmatyVideoSystem(h: UseCaseHarness, admin: Principal): Promise<VideoSystemEntity> {
  return h.get(CreateVideoSystemUseCase).execute({
    actor: admin,
    regionCode: 'ALA',
    name: 'Almaty city VMS',
    vendor: 'milestone',
    ingestionMethod: 'onvif-events',
  });
}

/** A camera of that system at the centre of Almaty. */
export async function anAlmatyCamera(
  h: UseCaseHarness,
  admin: Principal,
  videoSystemId: string,
  externalId: string,
): Promise<CameraEntity> {
  return h.get(RegisterCameraUseCase).execute({
    actor: admin,
    camera: {
      videoSystemId,
      externalId,
      name: `camera ${externalId}`,
      location: { lat: 43.2383, lon: 76.9454 },
      capabilities: ['plates'],
    },
  });
}

/** A video system calling with its API key: it speaks for itself, in its region. */
export function videoSystemCaller(videoSystemId: string, regionCode = 'ALA'): Principal {
  return { kind: 'video-system', subject: videoSystemId, roles: [], regions: [regionCode] };
}
