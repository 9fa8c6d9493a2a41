import { randomUUID } from 'node:crypto';
import { EventTypes, type EventPayloads, eventDefinition } from '@safecity/contracts';
import { cloudEventHeaders, InProcessBus } from '@safecity/messaging';
import { freeLoopbackPort } from '@safecity/persistence';
import type { RunningServiceApp } from '@safecity/service-kit';
import { createTestDatabase, createTestIdentity, type TestIdentity } from '@safecity/testing';
import request from 'supertest';
import type { IncidentsRuntime } from '../src/bootstrap';
import { startIncidents } from '../src/bootstrap';

export interface InProcessIncidents {
  db: { url: string; drop(): Promise<void> };
  identity: TestIdentity;
  bus: InProcessBus;
  service: RunningServiceApp;
  /** Publishes an event as its producer would: CloudEvents headers, protobuf value. */
  publish<K extends keyof EventPayloads>(
    type: K,
    key: string,
    message: EventPayloads[K],
    id?: string,
  ): string;
  close(): Promise<void>;
}

/**
 * The service on its own database and the in-process bus, as the embedded default runs it. Its
 * scheduled work (SLA checks, retention) does not run by itself: a test that needs it calls it, so
 * nothing changes an incident or the audit trail at a moment the test did not choose.
 */
export async function startInProcessIncidents(
  prefix: string,
  extra: Partial<IncidentsRuntime> = {},
): Promise<InProcessIncidents> {
  const db = await createTestDatabase(prefix);
  const identity = await createTestIdentity();
  const bus = new InProcessBus();
  const service = await startIncidents({
    databaseUrl: db.url,
    transport: { kind: 'in-process', bus },
    http: { port: 0 },
    grpcUrl: `127.0.0.1:${await freeLoopbackPort()}`,
    identity: identity.identity,
    runMigrations: true,
    ...CALLER_RUN_SCHEDULES,
    ...extra,
  });
  return {
    db,
    identity,
    bus,
    service,
    publish(type, key, message, id = randomUUID()) {
      const definition = eventDefinition(type);
      const region = (message as { match?: { regionCode?: string } }).match?.regionCode;
      bus.publish([
        {
          topic: definition.topic,
          key,
          value: Buffer.from(definition.codec.encode(message as never)),
          headers: cloudEventHeaders(
            { id, topic: definition.topic, key, type, payload: new Uint8Array(), region },
            '/safecity/test',
          ),
        },
      ]);
      return id;
    },
    async close() {
      await service.close();
      bus.close();
      await db.drop();
    },
  };
}

/**
 * A `createdFrom` query value of this moment: a test that lists what it created looks only at
 * incidents created from its start, whatever other tests of its suite left in the database.
 */
export function createdFromNow(): string {
  return `createdFrom=${encodeURIComponent(new Date(Date.now() - 1).toISOString())}`;
}

/** SLA checks and retention runs only when a test calls them. */
export const CALLER_RUN_SCHEDULES = { slaCheckIntervalMs: 0, retentionIntervalMs: 0 } as const;

export { EventTypes };

/** Opens a theft incident over REST as an operator of its region, as a dispatcher would. */
export async function openIncident(
  env: InProcessIncidents,
  title: string,
  regionCode = 'ALA',
): Promise<{ id: string }> {
  const response = await request(env.service.httpUrl)
    .post('/incidents')
    .set('authorization', await env.identity.bearer('operator', [regionCode], 'op-1'))
    .send({ category: 'theft', regionCode, title, location: { lat: 43.25, lon: 76.92 } })
    .expect(201);
  return response.body as { id: string };
}
