import { Topics } from '@safecity/contracts';
import { InProcessBus } from '@safecity/messaging';
import { freeLoopbackPort } from '@safecity/persistence';
import type { RunningServiceApp } from '@safecity/service-kit';
import { createTestDatabase, createTestIdentity, type TestIdentity } from '@safecity/testing';
import { Client } from 'pg';
import request from 'supertest';
import { startPrevention, type PreventionRuntime } from '../src/bootstrap';

export type Agent = ReturnType<typeof request.agent>;

/** A prevention service on the in-process bus with its own database, and callers of every role. */
export interface PreventionWorld {
  db: { url: string; drop(): Promise<void> };
  ids: TestIdentity;
  bus: InProcessBus;
  service: RunningServiceApp;
  grpcUrl: string;
  /** A superuser connection for inspecting rows the way no caller can. */
  pg: Client;
  as(bearer: string): Agent;
  close(): Promise<void>;
}

export async function startWorld(
  name: string,
  extra: Partial<PreventionRuntime> = {},
): Promise<PreventionWorld> {
  const db = await createTestDatabase(name);
  const ids = await createTestIdentity();
  const bus = new InProcessBus();
  const { service, grpcUrl } = await startOnFreshPort((grpcUrl) =>
    startPrevention({
      databaseUrl: db.url,
      transport: { kind: 'in-process', bus },
      http: { port: 0 },
      grpcUrl,
      identity: ids.identity,
      runMigrations: true,
      ...extra,
      // Suites run retention and erasure themselves, when their data is in place.
      retention: { scheduled: false, ...extra.retention },
    }),
  );
  const pg = new Client({ connectionString: db.url });
  await pg.connect();
  return {
    db,
    ids,
    bus,
    service,
    grpcUrl,
    pg,
    as: (bearer) => request.agent(service.httpUrl).set('authorization', bearer),
    close: async () => {
      await pg.end().catch(() => undefined);
      await service.close();
      bus.close();
      await db.drop();
    },
  };
}

const PORT_ATTEMPTS = 3;

/**
 * The gRPC port is found free and then released before the service binds it, so another process
 * can take it in between: the start is retried on a fresh port, a few times at most.
 */
async function startOnFreshPort(
  start: (grpcUrl: string) => Promise<RunningServiceApp>,
): Promise<{ service: RunningServiceApp; grpcUrl: string }> {
  for (let attempt = 1; ; attempt++) {
    const grpcUrl = `127.0.0.1:${await freeLoopbackPort()}`;
    try {
      return { service: await start(grpcUrl), grpcUrl };
    } catch (error) {
      if (
        attempt >= PORT_ATTEMPTS ||
        !/EADDRINUSE|address already in use|No address added/i.test(String(error))
      )
        throw error;
    }
  }
}

/** Records the service published to safecity.prevention.v1 so far. */
export const preventionRecords = (bus: InProcessBus) => bus.read(Topics.Prevention);

export const personCase = (overrides: Record<string, unknown> = {}) => ({
  regionCode: 'ALA',
  districtCode: 'ALA-ALMALY',
  subject: {
    kind: 'person',
    name: 'Айгерим Нурланова',
    identifier: '090417600123',
    birthDate: '2009-04-17',
    address: 'ул. Абая, д. 10, кв. 5',
  },
  category: 'juvenile',
  legalBasis: 'Law on Prevention of Offences, art. 21',
  ownerAgency: 'district-police-inspector',
  responsibleOfficer: 'officer-ala-1',
  agencies: ['education', 'social-services'],
  ...overrides,
});

export const placeCase = (overrides: Record<string, unknown> = {}) => ({
  regionCode: 'ALA',
  districtCode: 'ALA-ALMALY',
  subject: {
    kind: 'place',
    name: 'Courtyard of block 12',
    address: 'мкр Самал-2, 58',
    location: { lat: 43.2331, lon: 76.9512 },
  },
  category: 'place-based-hotspot',
  legalBasis: 'Akimat order 114 on public order',
  ownerAgency: 'police',
  responsibleOfficer: 'officer-ala-2',
  ...overrides,
});
