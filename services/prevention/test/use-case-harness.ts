import { randomUUID } from 'node:crypto';
import { incidents, Topics } from '@safecity/contracts';
import { CeHeader, type ConsumedEvent } from '@safecity/messaging';
import type { Principal } from '@safecity/security';
import {
  startUseCaseHarness as startServiceUseCases,
  type UseCaseHarness,
  eventually,
} from '@safecity/testing';
import { migratePrevention } from '../src/bootstrap';
import type { CaseView } from '../src/cases/case-view';
import type { OpenCaseDto } from '../src/cases/case.dto';
import { OpenCaseUseCase } from '../src/cases/use-cases';
import { PREVENTION_SCHEMA, PreventionModule } from '../src/prevention.module';
import { ApplyIncidentChangesUseCase } from '../src/triggers/use-cases';
import { incidentRecord, type IncidentSpec } from './incidents';
import { personCase, placeCase } from './world';

export type { UseCaseHarness };

/** prevention's use cases on a database of their own; `published`: `safecity.prevention.v1`. */
export function startUseCaseHarness(prefix: string): Promise<UseCaseHarness> {
  return startServiceUseCases({
    prefix,
    schema: PREVENTION_SCHEMA,
    migrate: migratePrevention,
    observe: [Topics.Prevention],
    module: ({ databaseUrl, bus, identity }) =>
      PreventionModule.forRoot({
        databaseUrl,
        transport: { kind: 'in-process', bus },
        identity,
        retention: { scheduled: false },
      }),
  });
}

let offsets = 0;

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
    offset: String(++offsets),
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
