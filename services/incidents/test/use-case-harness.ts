import { randomUUID } from 'node:crypto';
import {
  incidents as contract,
  eventDefinition,
  EventTypes,
  Topics,
  type EventPayloads,
} from '@safecity/contracts';
import { type ConsumedEvent } from '@safecity/messaging';
import type { Principal } from '@safecity/security';
import {
  startUseCaseHarness as startServiceUseCases,
  type UseCaseHarness as ServiceUseCases,
} from '@safecity/testing';
import { migrateIncidents } from '../src/bootstrap';
import { CorrelateSourceEventsUseCase } from '../src/correlation/use-cases/correlate-source-events/correlate-source-events.use-case';
import type { IncidentView } from '../src/incidents/incident.model';
import { OpenIncidentUseCase } from '../src/incidents/use-cases';
import { INCIDENTS_SCHEMA, IncidentsModule, type IncidentsModuleOptions } from '../src/incidents.module';
import { faceMatched } from './fixtures';

/** incidents' use cases on a database of their own; `published`: incidents and citizen reports. */
export interface UseCaseHarness extends ServiceUseCases {
  /** The `IncidentChanged` events published about one incident, in order. */
  changesOf(incidentId: string): contract.IncidentChanged[];
}

export async function startUseCaseHarness(
  prefix: string,
  options: Partial<IncidentsModuleOptions> = {},
): Promise<UseCaseHarness> {
  const harness = await startServiceUseCases({
    prefix,
    schema: INCIDENTS_SCHEMA,
    migrate: migrateIncidents,
    observe: [Topics.Incidents, Topics.CitizenReports],
    module: ({ databaseUrl, bus, identity }) =>
      IncidentsModule.forRoot({
        databaseUrl,
        transport: { kind: 'in-process', bus },
        identity,
        retentionIntervalMs: 0,
        slaCheckIntervalMs: 0,
        ...options,
      }),
  });
  return {
    ...harness,
    changesOf: (incidentId) =>
      harness.published
        .filter((r) => r.topic === Topics.Incidents && r.key === incidentId)
        .map((r) => contract.IncidentChanged.decode(r.value)),
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
