import { common, incidents as contract } from '@safecity/contracts';
import { CategoryNames, PriorityNames, ResolutionNames, SourceKindNames, StateNames } from './enum-names';

/** An incident as stored (without its sources). */
export interface IncidentRecord {
  id: string;
  number: string;
  regionCode: string;
  districtCode: string | null;
  category: number;
  priority: number;
  state: number;
  sourceKind: number;
  title: string;
  description: string;
  lat: number | null;
  lon: number | null;
  address: string;
  cameraId: string | null;
  correlationKey: string | null;
  lastSeenAt: Date;
  confidence: number | null;
  watchlistPriority: number | null;
  placeTags: string[];
  requiredConfirmations: number;
  visualCheckRequired: boolean;
  resolution: number;
  operationsCenterId: string | null;
  unitId: string | null;
  assigneeId: string | null;
  assignedAt: Date | null;
  verifyDueAt: Date | null;
  dispatchDueAt: Date | null;
  breachedStages: number[];
  sopId: string | null;
  sopVersion: number | null;
  occurredAt: Date;
  createdAt: Date;
  updatedAt: Date;
  version: number;
  openedBy: string;
}

export const INCIDENT_COLUMNS = `id, number, region_code AS "regionCode", district_code AS "districtCode", category,
  priority, state, source_kind AS "sourceKind", title, description, lat, lon, address, camera_id AS "cameraId",
  correlation_key AS "correlationKey", last_seen_at AS "lastSeenAt", confidence,
  watchlist_priority AS "watchlistPriority", place_tags AS "placeTags",
  required_confirmations AS "requiredConfirmations", visual_check_required AS "visualCheckRequired", resolution,
  operations_center_id AS "operationsCenterId", unit_id AS "unitId", assignee_id AS "assigneeId",
  assigned_at AS "assignedAt", verify_due_at AS "verifyDueAt", dispatch_due_at AS "dispatchDueAt",
  breached_stages AS "breachedStages", sop_id AS "sopId", sop_version AS "sopVersion", occurred_at AS "occurredAt",
  created_at AS "createdAt", updated_at AS "updatedAt", version::int AS version, opened_by AS "openedBy"`;

/** A match, alert, report or outage that is evidence of an incident. */
export interface SourceRecord {
  kind: number;
  refId: string;
  incidentId: string;
  regionCode: string;
  cameraId: string | null;
  watchlistId: string | null;
  watchlistEntryId: string | null;
  lat: number | null;
  lon: number | null;
  observedAt: Date | null;
  confidence: number | null;
  media: { kind: number; uri: string; contentType: string }[];
  details: Record<string, unknown>;
  addedAt: Date;
}

export const SOURCE_COLUMNS = `kind, ref_id AS "refId", incident_id AS "incidentId", region_code AS "regionCode",
  camera_id AS "cameraId", watchlist_id AS "watchlistId", watchlist_entry_id AS "watchlistEntryId", lat, lon,
  observed_at AS "observedAt", confidence, media, details, added_at AS "addedAt"`;

const iso = (date: Date | null | undefined) => (date ? new Date(date).toISOString() : null);

/** What the REST API and the live stream show of an incident. */
export function incidentView(incident: IncidentRecord, sourceCount?: number) {
  return {
    id: incident.id,
    number: incident.number,
    regionCode: incident.regionCode,
    districtCode: incident.districtCode,
    category: CategoryNames.toName(incident.category),
    priority: PriorityNames.toName(incident.priority),
    state: StateNames.toName(incident.state),
    sourceKind: SourceKindNames.toName(incident.sourceKind),
    title: incident.title,
    description: incident.description,
    location: {
      lat: incident.lat,
      lon: incident.lon,
      address: incident.address,
      cameraId: incident.cameraId,
      placeTags: incident.placeTags,
    },
    confidence: incident.confidence,
    verification: {
      requiredConfirmations: incident.requiredConfirmations,
      visualCheckRequired: incident.visualCheckRequired,
    },
    resolution: incident.resolution ? ResolutionNames.toName(incident.resolution) : null,
    assignment: {
      operationsCenterId: incident.operationsCenterId,
      unitId: incident.unitId,
      assigneeId: incident.assigneeId,
      assignedAt: iso(incident.assignedAt),
    },
    sla: {
      verifyDueAt: iso(incident.verifyDueAt),
      dispatchDueAt: iso(incident.dispatchDueAt),
      breachedStages: incident.breachedStages.map((stage) =>
        contract.SlaStage[stage].replace('SLA_STAGE_', '').toLowerCase(),
      ),
    },
    sop: incident.sopId ? { sopId: incident.sopId, sopVersion: incident.sopVersion } : null,
    occurredAt: iso(incident.occurredAt),
    lastSeenAt: iso(incident.lastSeenAt),
    createdAt: iso(incident.createdAt),
    updatedAt: iso(incident.updatedAt),
    version: incident.version,
    ...(sourceCount === undefined ? {} : { sourceCount }),
  };
}

export type IncidentView = ReturnType<typeof incidentView>;

/**
 * What the live stream carries of an incident: enough for a dispatcher's list and map (what,
 * where, how urgent, how long until its SLA deadline, in which state, whose), not the whole record, which `GET /incidents/:id`
 * serves. Every client receives every change of its regions, so each byte here is paid once per
 * client per change.
 */
export function streamView(incident: IncidentRecord, sourceCount: number) {
  return {
    id: incident.id,
    number: incident.number,
    regionCode: incident.regionCode,
    category: CategoryNames.toName(incident.category),
    priority: PriorityNames.toName(incident.priority),
    state: StateNames.toName(incident.state),
    sourceKind: SourceKindNames.toName(incident.sourceKind),
    title: incident.title,
    lat: incident.lat,
    lon: incident.lon,
    operationsCenterId: incident.operationsCenterId,
    unitId: incident.unitId,
    breachedStages: incident.breachedStages.length
      ? incident.breachedStages.map((stage) =>
          contract.SlaStage[stage].replace('SLA_STAGE_', '').toLowerCase(),
        )
      : undefined,
    // A queue counts down to the deadline of the stage the incident is in, and filters by district.
    districtCode: incident.districtCode ?? undefined,
    createdAt: iso(incident.createdAt),
    verifyDueAt: iso(incident.verifyDueAt) ?? undefined,
    dispatchDueAt: iso(incident.dispatchDueAt) ?? undefined,
    version: incident.version,
    sourceCount,
  };
}

export type StreamView = ReturnType<typeof streamView>;

export function sourceView(source: SourceRecord) {
  return {
    kind: SourceKindNames.toName(source.kind),
    refId: source.refId,
    cameraId: source.cameraId,
    watchlistId: source.watchlistId,
    watchlistEntryId: source.watchlistEntryId,
    location: source.lat === null || source.lon === null ? null : { lat: source.lat, lon: source.lon },
    observedAt: iso(source.observedAt),
    confidence: source.confidence,
    media: source.media,
    details: source.details,
    addedAt: iso(source.addedAt),
  };
}

/** A step of an incident's lifecycle, as `incident_history` keeps it. */
export interface HistoryEntry {
  from: number;
  to: number;
  actor: string;
  actorKind: string;
  reason: string;
  resolution: number;
  at: Date;
}

/** One person's confirmation of an incident, with what they saw of the vehicle. */
export interface ConfirmationEntry {
  actor: string;
  plate: string | null;
  make: string | null;
  colour: string | null;
  vehicleMismatch: string[];
  comment: string;
  confirmedAt: Date;
}

/** One incident with everything a reader of it is shown. */
export interface IncidentDetail {
  incident: IncidentRecord;
  sources: SourceRecord[];
  history: HistoryEntry[];
  confirmations: ConfirmationEntry[];
}

/** What `GET /incidents/:id` shows: the incident, its evidence, history and confirmations. */
export function incidentDetailView({ incident, sources, history, confirmations }: IncidentDetail) {
  return {
    ...incidentView(incident, sources.length),
    sources: sources.map(sourceView),
    history: history.map((entry) => ({
      from: StateNames.toName(entry.from),
      to: StateNames.toName(entry.to),
      actor: entry.actor,
      actorKind: entry.actorKind,
      reason: entry.reason,
      resolution: entry.resolution ? ResolutionNames.toName(entry.resolution) : null,
      at: new Date(entry.at).toISOString(),
    })),
    confirmations: confirmations.map((c) => ({ ...c, confirmedAt: new Date(c.confirmedAt).toISOString() })),
  };
}

/** The incident as the contract carries it on `safecity.incidents.v1` and over gRPC. */
export function toContractIncident(incident: IncidentRecord, sources: SourceRecord[]): contract.Incident {
  const point = (lat: number | null, lon: number | null) =>
    lat === null || lon === null ? undefined : { lat, lon };
  const due = (date: Date | null) => date ?? undefined;
  return contract.Incident.fromPartial({
    id: incident.id,
    number: incident.number,
    regionCode: incident.regionCode,
    districtCode: incident.districtCode ?? '',
    category: incident.category,
    priority: incident.priority,
    state: incident.state,
    title: incident.title,
    description: incident.description,
    location: {
      point: point(incident.lat, incident.lon),
      address: incident.address,
      cameraId: incident.cameraId ?? '',
    },
    sources: sources.map((source) => ({
      kind: source.kind,
      refId: source.refId,
      addedAt: source.addedAt,
      cameraId: source.cameraId ?? '',
      watchlistId: source.watchlistId ?? '',
      watchlistEntryId: source.watchlistEntryId ?? '',
      location: point(source.lat, source.lon),
      observedAt: source.observedAt ?? undefined,
      // A citizen report's address, so that prevention finds the place it names.
      address: typeof source.details['address'] === 'string' ? source.details['address'] : '',
    })),
    assignment: {
      operationsCenterId: incident.operationsCenterId ?? '',
      unitId: incident.unitId ?? '',
      assigneeId: incident.assigneeId ?? '',
      assignedAt: incident.assignedAt ?? undefined,
    },
    sla: {
      verifyDueAt: due(incident.verifyDueAt),
      dispatchDueAt: due(incident.dispatchDueAt),
      breachedStages: incident.breachedStages,
    },
    sop: incident.sopId ? { sopId: incident.sopId, sopVersion: incident.sopVersion ?? 0 } : undefined,
    evidence: sources.flatMap((source) =>
      source.media.map((media) => ({ kind: media.kind, uri: media.uri, contentType: media.contentType })),
    ),
    resolution: incident.resolution,
    occurredAt: incident.occurredAt,
    createdAt: incident.createdAt,
    updatedAt: incident.updatedAt,
    version: incident.version,
  });
}

export function actorOf(kind: 'user' | 'service' | 'video-system', subject: string): common.Actor {
  const kinds = {
    user: common.ActorKind.ACTOR_KIND_USER,
    service: common.ActorKind.ACTOR_KIND_SERVICE,
    'video-system': common.ActorKind.ACTOR_KIND_VIDEO_SYSTEM,
  } as const;
  return { kind: kinds[kind], id: subject };
}
