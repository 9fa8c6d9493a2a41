import { randomUUID } from 'node:crypto';
import type { INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { incidents, Topics } from '@safecity/contracts';
import { CeHeader, InProcessBus, type ConsumedEvent, type ConsumedRecord } from '@safecity/messaging';
import type { Principal, Role } from '@safecity/security';
import { createTestDatabase, createTestIdentity, eventually } from '@safecity/testing';
import { Client } from 'pg';
import { migratePrevention } from '../src/bootstrap';
import type { CaseView } from '../src/cases/case-view';
import type { OpenCaseDto } from '../src/cases/case.dto';
import { OpenCaseUseCase } from '../src/cases/use-cases';
import { PREVENTION_SCHEMA, PreventionModule } from '../src/prevention.module';
import { ApplyIncidentChangesUseCase } from '../src/triggers/use-cases';
import { incidentRecord, type IncidentSpec } from './incidents';
import { personCase, placeCase } from './world';

/** prevention's use cases on a database of their own, without a transport in front. */
export interface UseCaseHarness {
  app: INestApplicationContext;
  get<T>(type: Type<T>): T;
  /** A person with these roles in these regions (default Almaty). */
  person(roles: Role | Role[], regions?: string[] | 'all'): Principal;
  /** Records published on `safecity.prevention.v1` since the start. */
  published: ConsumedRecord[];
  /** SQL as the schema's owner (for what a use case wrote beside its answer). */
  query<T = Record<string, unknown>>(sql: string, parameters?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

let people = 0;

export async function startUseCaseHarness(prefix: string): Promise<UseCaseHarness> {
  const db = await createTestDatabase(prefix);
  await migratePrevention(db.url);
  const identity = await createTestIdentity();
  const bus = new InProcessBus();
  const published: ConsumedRecord[] = [];
  bus.subscribe(`${prefix}-observer`, [Topics.Prevention], async (record) => void published.push(record));
  const app = await NestFactory.createApplicationContext(
    PreventionModule.forRoot({
      databaseUrl: db.url,
      transport: { kind: 'in-process', bus },
      identity: identity.identity,
      retention: { scheduled: false },
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
        await client.query(`SET search_path TO ${PREVENTION_SCHEMA}`);
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

/** A prevention officer of Almaty. */
export const anOfficer = (h: UseCaseHarness, regions: string[] | 'all' = ['ALA']) =>
  h.person('prevention-officer', regions);

/** A case about a teenager of Almaty, opened by `officer` (the person's data written with it). */
export function aPersonCase(
  h: UseCaseHarness,
  officer: Principal,
  overrides: Record<string, unknown> = {},
): Promise<CaseView> {
  return h.get(OpenCaseUseCase).execute({ actor: officer, case: personCase(overrides) as OpenCaseDto });
}

/** A case about a courtyard of Almaty, opened by `officer`. */
export function aPlaceCase(
  h: UseCaseHarness,
  officer: Principal,
  overrides: Record<string, unknown> = {},
): Promise<CaseView> {
  return h.get(OpenCaseUseCase).execute({ actor: officer, case: placeCase(overrides) as OpenCaseDto });
}

/** The incidents service as the bus carries it. */
export const INCIDENT_FEED: Principal = {
  kind: 'service',
  subject: Topics.Incidents,
  roles: ['service'],
  regions: 'all',
};

/** An IncidentChanged as the event transport hands it over, decoded. */
export function incidentEvent(spec: IncidentSpec): ConsumedEvent<incidents.IncidentChanged> & {
  incidentId: string;
} {
  const record = incidentRecord(spec);
  return {
    id: record.eventId,
    type: record.headers[CeHeader.Type]!,
    source: '/safecity/incidents',
    time: new Date(),
    region: spec.regionCode ?? 'ALA',
    key: record.key,
    topic: Topics.Incidents,
    partition: 0,
    offset: String(++people),
    previousAttempts: 0,
    headers: record.headers,
    data: incidents.IncidentChanged.decode(record.value),
    raw: record.value,
    incidentId: record.incidentId,
  };
}

/** Incidents as the consumer applies them; their ids, in order. */
export async function incidentsHappened(h: UseCaseHarness, ...specs: IncidentSpec[]): Promise<string[]> {
  const events = specs.map((spec) => incidentEvent({ id: randomUUID(), ...spec }));
  await h.get(ApplyIncidentChangesUseCase).execute({ actor: INCIDENT_FEED, events });
  return events.map((e) => e.incidentId);
}

/** The types of the first `count` events published about `key`, once they have all left the outbox. */
export async function eventTypesOf(h: UseCaseHarness, key: string, count: number): Promise<string[]> {
  return eventually(() => {
    const records = h.published.filter((r) => r.key === key);
    return records.length >= count ? records.map((r) => r.headers[CeHeader.Type]!) : undefined;
  });
}

/** A home visit by a social worker, due in `dueInDays`. */
export const aHomeVisit = (dueInDays = 7) => ({
  kind: 'home-visit' as const,
  agencyCode: 'social-services' as const,
  assigneeId: 'sw-ala-1',
  description: 'visit the family with the school psychologist',
  dueAt: new Date(Date.now() + dueInDays * 86_400_000).toISOString(),
});

/** Three operator-confirmed incidents at one address of Almaty no case covers: a suggestion. */
export async function repeatedIncidentsAt(h: UseCaseHarness, address: string): Promise<string[]> {
  const day = 86_400_000;
  return incidentsHappened(
    h,
    ...[9, 6, 3].map((daysAgo) => ({ address, occurredAt: new Date(Date.now() - daysAgo * day) })),
  );
}
