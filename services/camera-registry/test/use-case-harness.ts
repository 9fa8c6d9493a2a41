import type { INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Topics } from '@safecity/contracts';
import { InProcessBus, type ConsumedRecord } from '@safecity/messaging';
import type { Principal, Role } from '@safecity/security';
import { createTestDatabase, createTestIdentity } from '@safecity/testing';
import { Client } from 'pg';
import { migrateCameraRegistry } from '../src/bootstrap';
import { CAMERA_REGISTRY_SCHEMA, CameraRegistryModule } from '../src/camera-registry.module';
import type { CameraEntity } from '../src/cameras/camera.entity';
import { RegisterCameraUseCase } from '../src/cameras/use-cases';
import { CreateVideoSystemUseCase } from '../src/video-systems/use-cases';
import type { VideoSystemEntity } from '../src/video-systems/video-system.entity';

/** camera-registry's use cases on a database of their own, without a transport in front. */
export interface UseCaseHarness {
  app: INestApplicationContext;
  get<T>(type: Type<T>): T;
  /** A person with these roles in these regions (default Almaty). */
  person(roles: Role | Role[], regions?: string[] | 'all'): Principal;
  /** Records published on `safecity.cameras.v1` since the start. */
  published: ConsumedRecord[];
  /** SQL as the schema's owner (for what a use case wrote beside its answer). */
  query<T = Record<string, unknown>>(sql: string, parameters?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

let people = 0;

export async function startUseCaseHarness(prefix: string): Promise<UseCaseHarness> {
  const db = await createTestDatabase(prefix);
  await migrateCameraRegistry(db.url);
  const identity = await createTestIdentity();
  const bus = new InProcessBus();
  const published: ConsumedRecord[] = [];
  bus.subscribe(`${prefix}-observer`, [Topics.Cameras], async (record) => void published.push(record));
  const app = await NestFactory.createApplicationContext(
    CameraRegistryModule.forRoot({
      databaseUrl: db.url,
      transport: { kind: 'in-process', bus },
      identity: identity.identity,
      scheduleRetention: false,
    }),
    { logger: false, abortOnError: false },
  );
  await app.init();
  return {
    app,
    get: (type) => app.get(type),
    person: (roles, regions = ['ALA']) => ({
      kind: roles === 'service' ? 'service' : 'user',
      subject: `person-${++people}`,
      roles: Array.isArray(roles) ? roles : [roles],
      regions,
    }),
    published,
    query: async (sql, parameters) => {
      const client = new Client({ connectionString: db.url });
      await client.connect();
      try {
        await client.query(`SET search_path TO ${CAMERA_REGISTRY_SCHEMA}`);
        return (await client.query(sql, parameters)).rows as never[];
      } finally {
        await client.end();
      }
    },
    close: async () => {
      await app.close();
      bus.close();
      await db.drop();
    },
  };
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
