import { randomUUID } from 'node:crypto';
import { EventTypes, incidentChangedEventType, incidents, Topics } from '@safecity/contracts';
import { cloudEventHeaders, type BusRecord } from '@safecity/messaging';

export interface IncidentSpec {
  id?: string;
  regionCode?: string;
  districtCode?: string;
  category?: incidents.IncidentCategory;
  state?: incidents.IncidentState;
  occurredAt?: Date;
  address?: string;
  point?: { lat: number; lon: number };
  version?: number;
  kind?: incidents.IncidentChangeKind;
  /** What led to it; default one operator's account (a call taken), which a person stands behind. */
  sources?: { kind: incidents.IncidentSourceKind; address?: string }[];
}

export const OPERATOR_SOURCE = { kind: incidents.IncidentSourceKind.INCIDENT_SOURCE_KIND_OPERATOR };

/**
 * An IncidentChanged record as the incidents service publishes it on safecity.incidents.v1,
 * with a title and description that prevention must not keep.
 */
export function incidentRecord(spec: IncidentSpec): BusRecord & { eventId: string; incidentId: string } {
  const id = spec.id ?? randomUUID();
  const kind = spec.kind ?? incidents.IncidentChangeKind.INCIDENT_CHANGE_KIND_CREATED;
  const occurredAt = spec.occurredAt ?? new Date();
  const message = incidents.IncidentChanged.fromPartial({
    kind,
    incident: {
      id,
      number: `${spec.regionCode ?? 'ALA'}-2026-000001`,
      regionCode: spec.regionCode ?? 'ALA',
      districtCode: spec.districtCode ?? 'ALA-ALMALY',
      category: spec.category ?? incidents.IncidentCategory.INCIDENT_CATEGORY_DOMESTIC,
      priority: incidents.IncidentPriority.INCIDENT_PRIORITY_MEDIUM,
      state: spec.state ?? incidents.IncidentState.INCIDENT_STATE_NEW,
      title: 'Noise and shouting',
      description: 'Caller Serik Akhmetov reports his neighbour shouting',
      location: { address: spec.address ?? '', point: spec.point ?? null, cameraId: '' },
      sources: (spec.sources ?? [OPERATOR_SOURCE]).map(
        (source: NonNullable<IncidentSpec['sources']>[number]) => ({
          kind: source.kind,
          refId: source.kind === OPERATOR_SOURCE.kind ? '' : randomUUID(),
          address: source.address ?? '',
        }),
      ),
      occurredAt,
      createdAt: occurredAt,
      updatedAt: occurredAt,
      version: spec.version ?? 1,
    },
    previousState: spec.state ?? incidents.IncidentState.INCIDENT_STATE_NEW,
    changedAt: occurredAt,
  });
  const eventId = randomUUID();
  const value = Buffer.from(incidents.IncidentChanged.encode(message).finish());
  const type = incidentChangedEventType(kind);
  const headers = cloudEventHeaders(
    { id: eventId, topic: Topics.Incidents, key: id, type, payload: value, region: spec.regionCode ?? 'ALA' },
    '/safecity/incidents',
  );
  return { topic: Topics.Incidents, key: id, value, headers, eventId, incidentId: id };
}

export const DOMESTIC = incidents.IncidentCategory.INCIDENT_CATEGORY_DOMESTIC;
export const PUBLIC_ORDER = incidents.IncidentCategory.INCIDENT_CATEGORY_PUBLIC_ORDER;
export { EventTypes };
