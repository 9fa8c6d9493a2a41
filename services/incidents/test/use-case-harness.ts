import { randomUUID } from 'node:crypto';
import type { INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  incidents as contract,
  eventDefinition,
  EventTypes,
  Topics,
  type EventPayloads,
} from '@safecity/contracts';
import { InProcessBus, type ConsumedEvent, type ConsumedRecord } from '@safecity/messaging';
import type { Principal, Role } from '@safecity/security';
import { createTestDatabase, createTestIdentity } from '@safecity/testing';
import { Client } from 'pg';
import { migrateIncidents } from '../src/bootstrap';
import { CorrelateSourceEventsUseCase } from '../src/correlation/use-cases/correlate-source-events/correlate-source-events.use-case';
import type { IncidentView } from '../src/incidents/incident.model';
import { OpenIncidentUseCase } from '../src/incidents/use-cases';
import { INCIDENTS_SCHEMA, IncidentsModule, type IncidentsModuleOptions } from '../src/incidents.module';
import { faceMatched } from './fixtures';

/** incidents' use cases on a database of their own, without a transport in front. */
export interface UseCaseHarness {
  app: INestApplicationContext;
  bus: InProcessBus;
  get<T>(type: Type<T>): T;
  /** A person with these roles in these regions (default Almaty). */
  person(roles: Role | Role[], regions?: string[] | 'all', subject?: string): Principal;
  /** Records published on `safecity.incidents.v1` and `safecity.citizen-reports.v1` since the start. */
  published: ConsumedRecord[];
  /** The `IncidentChanged` events published about one incident, in order. */
  changesOf(incidentId: string): contract.IncidentChanged[];
  /** SQL as the schema's owner (for what a use case wrote beside its answer). */
  query<T = Record<string, unknown>>(sql: string, parameters?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

let people = 0;

export async function startUseCaseHarness(
  prefix: string,
  options: Partial<IncidentsModuleOptions> = {},
): Promise<UseCaseHarness> {
  const db = await createTestDatabase(prefix);
  await migrateIncidents(db.url);
  const identity = await createTestIdentity();
  const bus = new InProcessBus();
  const published: ConsumedRecord[] = [];
  bus.subscribe(
    `${prefix}-observer`,
    [Topics.Incidents, Topics.CitizenReports],
    async (record) => void published.push(record),
  );
  const app = await NestFactory.createApplicationContext(
    IncidentsModule.forRoot({
      databaseUrl: db.url,
      transport: { kind: 'in-process', bus },
      identity: identity.identity,
      retentionIntervalMs: 0,
      slaCheckIntervalMs: 0,
      ...options,
    }),
    { logger: false, abortOnError: false },
  );
  await app.init();
  return {
    app,
    bus,
    get: (type) => app.get(type),
    person: (roles, regions = ['ALA'], subject = `person-${++people}`) => ({
      kind: roles === 'service' ? 'service' : 'user',
      subject,
      roles: Array.isArray(roles) ? roles : [roles],
      regions,
    }),
    published,
    changesOf: (incidentId) =>
      published
        .filter((r) => r.topic === Topics.Incidents && r.key === incidentId)
        .map((r) => contract.IncidentChanged.decode(r.value)),
    query: async (sql, parameters) => {
      const client = new Client({ connectionString: db.url });
      await client.connect();
      try {
        await client.query(`SET search_path TO ${INCIDENTS_SCHEMA}`);
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

/** A theft an operator opens in Almaty (or `regionCode`), as a dispatcher would. */
export function anOpenTheft(
  h: UseCaseHarness,
  operator: Principal,
  title = 'Bicycle stolen',
  regionCode = 'ALA',
): Promise<IncidentView> {
  return h.get(OpenIncidentUseCase).execute({
    actor: operator,
    incident: { category: 'theft', regionCode, title, location: { lat: 43.25, lon: 76.92 } },
  });
}

/** The platform's producers as the bus authenticated them. */
export const BUS_PRODUCER: Principal = {
  kind: 'service',
  subject: 'bus',
  roles: ['service'],
  regions: 'all',
};

/** An event as the transport hands it to a handler, decoded by its type. */
export function consumed<K extends keyof EventPayloads>(
  type: K,
  message: EventPayloads[K],
  id: string = randomUUID(),
): ConsumedEvent<EventPayloads[K]> {
  const definition = eventDefinition(type);
  return {
    id,
    type,
    source: '/safecity/test',
    time: new Date(),
    key: id,
    topic: definition.topic,
    partition: 0,
    offset: '0',
    previousAttempts: 0,
    headers: {},
    data: message,
    raw: Buffer.from(definition.codec.encode(message as never)),
  };
}

/** A face match of Almaty on the wanted list becomes an incident, as from `safecity.matches.v1`. */
export async function aFaceMatchIncident(h: UseCaseHarness): Promise<string> {
  const match = faceMatched({});
  await h.get(CorrelateSourceEventsUseCase).execute({
    actor: BUS_PRODUCER,
    events: [consumed(EventTypes.FaceMatched, match)],
  });
  const [row] = await h.query<{ incidentId: string }>(
    `SELECT incident_id AS "incidentId" FROM incident_sources WHERE ref_id = $1`,
    [match.match!.id],
  );
  return row.incidentId;
}
