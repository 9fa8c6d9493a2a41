import { cameras, common, incidents as contract, recognition } from '@safecity/contracts';
import { NonRetriableEventError } from '@safecity/messaging';
import { categoryPriority } from '../incidents/category-priority';
import type { NewSource } from '../incidents/incidents.repository';
import type { CorrelationType } from './correlation-rules';
import { isWellFormedRegionCode } from '@safecity/security';

const C = contract.IncidentCategory;
const P = contract.IncidentPriority;
const K = contract.IncidentSourceKind;

/** One source event, turned into what correlation and incident creation need. */
export interface Signal {
  type: CorrelationType;
  /** Sources of one key may join one incident (subject to window and radius). */
  key: string;
  regionCode: string;
  category: number;
  basePriority: number;
  watchlistPriority: number | null;
  confidence: number | null;
  title: string;
  description: string;
  cameraId: string | null;
  lat: number | null;
  lon: number | null;
  /** Where it happened in words, when the source says (otherwise the camera's address). */
  address?: string;
  observedAt: Date;
  requiredConfirmations: number;
  visualCheckRequired: boolean;
  sourceKind: number;
  source: Omit<NewSource, 'regionCode' | 'lat' | 'lon'>;
}

function invalid(what: string, reason: string): never {
  throw new NonRetriableEventError(`${what}: ${reason}`);
}

function required(what: string, fields: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || value === null || value === '') invalid(what, `${name} is missing`);
  }
}

function region(what: string, code: string): string {
  if (!isWellFormedRegionCode(code)) invalid(what, `region code ${JSON.stringify(code)} is not one`);
  return code;
}

const media = (list: { kind: number; uri: string; contentType: string }[] | undefined) =>
  (list ?? []).map((m) => ({ kind: m.kind, uri: m.uri, contentType: m.contentType }));

const HOTLIST_PRIORITY: Record<number, number> = {
  [recognition.HotlistReason.HOTLIST_REASON_WANTED_PERSON]: P.INCIDENT_PRIORITY_HIGH,
  [recognition.HotlistReason.HOTLIST_REASON_MISSING_PERSON]: P.INCIDENT_PRIORITY_HIGH,
  [recognition.HotlistReason.HOTLIST_REASON_STOLEN_VEHICLE]: P.INCIDENT_PRIORITY_MEDIUM,
  [recognition.HotlistReason.HOTLIST_REASON_CRIMINAL_INVESTIGATION]: P.INCIDENT_PRIORITY_MEDIUM,
  [recognition.HotlistReason.HOTLIST_REASON_OTHER]: P.INCIDENT_PRIORITY_LOW,
};

const WATCHLIST_PRIORITY: Record<number, number> = {
  [recognition.WatchlistCategory.WATCHLIST_CATEGORY_WANTED]: P.INCIDENT_PRIORITY_HIGH,
  [recognition.WatchlistCategory.WATCHLIST_CATEGORY_MISSING_PERSON]: P.INCIDENT_PRIORITY_HIGH,
  [recognition.WatchlistCategory.WATCHLIST_CATEGORY_COURT_ORDER]: P.INCIDENT_PRIORITY_MEDIUM,
  [recognition.WatchlistCategory.WATCHLIST_CATEGORY_OTHER]: P.INCIDENT_PRIORITY_LOW,
};

/**
 * What the hotlist entries a plate matched are worth: the priority recognition gives each entry
 * (1 low … 4 critical) where it gives one, else what its reason is usually worth; a plate on
 * several hotlists is as urgent as its most urgent entry.
 */
export function plateWatchlistPriority(candidates: recognition.PlateMatchCandidate[]): number | null {
  let highest: number | null = null;
  for (const candidate of candidates) {
    if (candidate.priority > P.INCIDENT_PRIORITY_CRITICAL) {
      invalid('PlateMatched', `candidate priority ${candidate.priority} is outside 1..4`);
    }
    const priority = candidate.priority || (HOTLIST_PRIORITY[candidate.reason] ?? null);
    if (priority !== null && (highest === null || priority > highest)) highest = priority;
  }
  return highest;
}

const matchKindName = (kind: recognition.PlateMatchKind) =>
  recognition.PlateMatchKind[kind]?.replace('PLATE_MATCH_KIND_', '').toLowerCase().replace(/_/g, '-') ??
  'unspecified';

export function plateSignal(match: recognition.PlateMatch | null | undefined): Signal {
  const what = 'PlateMatched';
  if (!match) invalid(what, 'match is missing');
  required(what, {
    id: match.id,
    regionCode: match.regionCode,
    plate: match.plate?.text,
    observedAt: match.observedAt,
  });
  const best = match.candidates[0];
  if (!best) invalid(what, 'a match without candidates');
  const text = match.plate!.text.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return {
    type: 'plate',
    key: `plate:${region(what, match.regionCode)}:${text}`,
    regionCode: match.regionCode,
    category: C.INCIDENT_CATEGORY_WANTED_VEHICLE,
    basePriority: categoryPriority(C.INCIDENT_CATEGORY_WANTED_VEHICLE),
    watchlistPriority: plateWatchlistPriority(match.candidates),
    confidence: best.score,
    title: `Hotlisted plate ${text}`,
    description: '',
    cameraId: match.cameraId || null,
    lat: match.location?.lat ?? null,
    lon: match.location?.lon ?? null,
    observedAt: match.observedAt!,
    requiredConfirmations: 1,
    visualCheckRequired: true,
    sourceKind: K.INCIDENT_SOURCE_KIND_PLATE_MATCH,
    source: {
      kind: K.INCIDENT_SOURCE_KIND_PLATE_MATCH,
      refId: match.id,
      cameraId: match.cameraId || null,
      watchlistId: best.hotlistId || null,
      watchlistEntryId: best.entryId || null,
      observedAt: match.observedAt!,
      confidence: best.score,
      media: media(match.media),
      details: {
        plate: text,
        country: match.plate!.country,
        vehicle: match.plate!.vehicle
          ? {
              make: match.plate!.vehicle.make,
              colour: match.plate!.vehicle.color,
              model: match.plate!.vehicle.model,
            }
          : null,
        listedPlate: best.listedText,
        // An operator checks a confusable or one-edit reading against the listed plate with care.
        matchKind: matchKindName(best.matchKind),
        entryPriority: best.priority || null,
        legalBasisRef: best.legalBasisRef,
      },
    },
  };
}

export function faceSignal(match: recognition.FaceMatch | null | undefined): Signal {
  const what = 'FaceMatched';
  if (!match) invalid(what, 'match is missing');
  required(what, { id: match.id, regionCode: match.regionCode, observedAt: match.observedAt });
  const best = match.candidates[0];
  if (!best?.entryId) invalid(what, 'a match without a candidate entry');
  const category =
    best.category === recognition.WatchlistCategory.WATCHLIST_CATEGORY_MISSING_PERSON
      ? C.INCIDENT_CATEGORY_MISSING_PERSON
      : C.INCIDENT_CATEGORY_WANTED_PERSON;
  return {
    type: 'face',
    key: `face:${region(what, match.regionCode)}:${best.entryId}`,
    regionCode: match.regionCode,
    category,
    basePriority: categoryPriority(category),
    watchlistPriority: WATCHLIST_PRIORITY[best.category] ?? null,
    confidence: best.score,
    // No names: who is listed is disclosed only through recognition's audited watchlist API.
    title:
      category === C.INCIDENT_CATEGORY_MISSING_PERSON ? 'Possible missing person' : 'Face watchlist match',
    description: '',
    cameraId: match.cameraId || null,
    lat: match.location?.lat ?? null,
    lon: match.location?.lon ?? null,
    observedAt: match.observedAt!,
    requiredConfirmations: Math.max(2, match.requiredConfirmations),
    visualCheckRequired: false,
    sourceKind: K.INCIDENT_SOURCE_KIND_FACE_MATCH,
    source: {
      kind: K.INCIDENT_SOURCE_KIND_FACE_MATCH,
      refId: match.id,
      cameraId: match.cameraId || null,
      watchlistId: best.watchlistId || null,
      watchlistEntryId: best.entryId,
      observedAt: match.observedAt!,
      confidence: best.score,
      media: media(match.media),
      details: { subjectRef: best.subjectRef, threshold: match.threshold, legalBasisRef: best.legalBasisRef },
    },
  };
}

const BEHAVIOUR_CATEGORY: Record<number, number> = {
  [recognition.BehaviourType.BEHAVIOUR_TYPE_FIGHT]: C.INCIDENT_CATEGORY_VIOLENCE,
  [recognition.BehaviourType.BEHAVIOUR_TYPE_FALL]: C.INCIDENT_CATEGORY_MEDICAL,
  [recognition.BehaviourType.BEHAVIOUR_TYPE_LOITERING]: C.INCIDENT_CATEGORY_PUBLIC_ORDER,
  [recognition.BehaviourType.BEHAVIOUR_TYPE_INTRUSION]: C.INCIDENT_CATEGORY_INTRUSION,
  [recognition.BehaviourType.BEHAVIOUR_TYPE_CROWD]: C.INCIDENT_CATEGORY_PUBLIC_ORDER,
  [recognition.BehaviourType.BEHAVIOUR_TYPE_ABANDONED_OBJECT]: C.INCIDENT_CATEGORY_SUSPICIOUS_OBJECT,
  [recognition.BehaviourType.BEHAVIOUR_TYPE_LINE_CROSSING]: C.INCIDENT_CATEGORY_INTRUSION,
  [recognition.BehaviourType.BEHAVIOUR_TYPE_FIRE_SMOKE]: C.INCIDENT_CATEGORY_FIRE,
  // Something taken from a watched area is a possible theft until an operator has seen it.
  [recognition.BehaviourType.BEHAVIOUR_TYPE_OBJECT_REMOVED]: C.INCIDENT_CATEGORY_THEFT,
};

export function behaviourSignal(alert: recognition.BehaviourAlert | null | undefined): Signal {
  const what = 'BehaviourAlertRaised';
  if (!alert) invalid(what, 'alert is missing');
  required(what, {
    id: alert.id,
    regionCode: alert.regionCode,
    observedAt: alert.observedAt,
    type: alert.type,
  });
  const category = BEHAVIOUR_CATEGORY[alert.type] ?? C.INCIDENT_CATEGORY_OTHER;
  const typeName =
    recognition.BehaviourType[alert.type]?.replace('BEHAVIOUR_TYPE_', '').toLowerCase() ?? 'other';
  return {
    type: 'behaviour',
    key: `behaviour:${region(what, alert.regionCode)}:${alert.type}`,
    regionCode: alert.regionCode,
    category,
    // The platform's alert rules already weighed type, place and time into the severity.
    basePriority: alert.severity || categoryPriority(category),
    watchlistPriority: null,
    confidence: alert.confidence,
    title: `Behaviour alert: ${typeName.replace(/_/g, ' ')}`,
    description: alert.ruleName,
    cameraId: alert.cameraId || null,
    lat: alert.location?.lat ?? null,
    lon: alert.location?.lon ?? null,
    observedAt: alert.observedAt!,
    requiredConfirmations: 1,
    visualCheckRequired: false,
    sourceKind: K.INCIDENT_SOURCE_KIND_BEHAVIOUR_ALERT,
    source: {
      kind: K.INCIDENT_SOURCE_KIND_BEHAVIOUR_ALERT,
      refId: alert.id,
      cameraId: alert.cameraId || null,
      watchlistId: null,
      watchlistEntryId: null,
      observedAt: alert.observedAt!,
      confidence: alert.confidence,
      media: media(alert.media),
      details: {
        type: typeName,
        ruleId: alert.ruleId,
        objectCount: alert.objectCount,
        dwellSeconds: alert.dwellSeconds,
      },
    },
  };
}

/**
 * A camera going offline is a technical incident for the region's integrator; coming back online
 * joins the open one as a further source, so the integrator sees the outage end.
 */
export function cameraStatusSignal(change: cameras.CameraStatusChanged): Signal | null {
  const what = 'CameraStatusChanged';
  required(what, { cameraId: change.cameraId, regionCode: change.regionCode });
  const offline = change.status === cameras.CameraStatus.CAMERA_STATUS_OFFLINE;
  const online = change.status === cameras.CameraStatus.CAMERA_STATUS_ONLINE;
  if (!offline && !online) return null;
  const at = change.changedAt ?? new Date();
  return {
    type: 'camera',
    key: `camera:${change.cameraId}`,
    regionCode: region(what, change.regionCode),
    category: C.INCIDENT_CATEGORY_INFRASTRUCTURE,
    basePriority: categoryPriority(C.INCIDENT_CATEGORY_INFRASTRUCTURE),
    watchlistPriority: null,
    confidence: null,
    title: 'Camera offline',
    description: '',
    cameraId: change.cameraId,
    lat: null,
    lon: null,
    observedAt: at,
    requiredConfirmations: 1,
    visualCheckRequired: false,
    sourceKind: K.INCIDENT_SOURCE_KIND_CAMERA_STATUS,
    source: {
      kind: K.INCIDENT_SOURCE_KIND_CAMERA_STATUS,
      refId: `${change.cameraId}@${at.toISOString()}`,
      cameraId: change.cameraId,
      watchlistId: null,
      watchlistEntryId: null,
      observedAt: at,
      confidence: null,
      media: [],
      details: { status: offline ? 'offline' : 'online' },
    },
  };
}

/** Whether a signal may open an incident, or only join one (a camera back online opens nothing). */
export function opensIncident(signal: Signal): boolean {
  return !(signal.type === 'camera' && signal.source.details['status'] === 'online');
}

/** A citizen's report, as stored on intake. */
export interface StoredCitizenReport {
  id: string;
  category: number;
  description: string;
  /** Null when the citizen gave an address only. */
  lat: number | null;
  lon: number | null;
  address: string;
  regionCode: string;
  reportedAt: Date;
  channel: number;
  attachments: { uri: string; contentType: string }[];
}

export function citizenSignal(report: StoredCitizenReport): Signal {
  return {
    type: 'citizen',
    key: `citizen:${report.regionCode}:${report.category}`,
    regionCode: report.regionCode,
    category: report.category,
    basePriority: categoryPriority(report.category),
    watchlistPriority: null,
    confidence: null,
    title: `Citizen report: ${contract.IncidentCategory[report.category]
      .replace('INCIDENT_CATEGORY_', '')
      .toLowerCase()
      .replace(/_/g, ' ')}`,
    description: report.description,
    cameraId: null,
    lat: report.lat,
    lon: report.lon,
    address: report.address,
    observedAt: report.reportedAt,
    requiredConfirmations: 1,
    visualCheckRequired: false,
    sourceKind: K.INCIDENT_SOURCE_KIND_CITIZEN_REPORT,
    source: {
      kind: K.INCIDENT_SOURCE_KIND_CITIZEN_REPORT,
      refId: report.id,
      cameraId: null,
      watchlistId: null,
      watchlistEntryId: null,
      observedAt: report.reportedAt,
      confidence: null,
      media: report.attachments.map((a) => ({
        kind: common.MediaKind.MEDIA_KIND_ATTACHMENT,
        uri: a.uri,
        contentType: a.contentType,
      })),
      // The text is on the report; contact details never travel with the incident.
      details: { channel: contract.CitizenReportChannel[report.channel], address: report.address },
    },
  };
}
