import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { incidents as contract } from '@safecity/contracts';
import { AuditLog, type AuditActor, type AuditEntry } from '@safecity/security';
import type { EntityManager } from 'typeorm';
import { CategoryNames, SourceKindNames } from '../incidents/enum-names';
import { IncidentChangeLog, type IncidentChange } from '../incidents/incident-change-log';
import { actorOf, type SourceRecord } from '../incidents/incident.model';
import { INCIDENTS_OPTIONS, type IncidentsRules } from '../incidents/incidents.options';
import { IncidentsRepository, type NewIncident, type NewSource } from '../incidents/incidents.repository';
import { OperationsCenterDirectory } from '../operations/operations-center.directory';
import { slaDeadlines } from '../operations/sla-policy';
import { distanceMetres } from '@safecity/service-kit';
import { CorrelationRepository } from './correlation.repository';
import { incidentPriority } from './priority';
import { opensIncident, type Signal } from './signals';

const K = contract.IncidentChangeKind;

/** Who opens incidents from matches, alerts and outages in the audit log: incidents itself. */
export const CORRELATOR_ACTOR: AuditActor = {
  subject: 'service:incidents',
  kind: 'service',
  roles: ['service'],
};

export interface CorrelationOutcome {
  created: number;
  joined: number;
  /** Sources that were already evidence of an incident (a re-sent match): nothing changed. */
  duplicates: number;
  /** The incident each source ref id now belongs to. */
  placed: Map<string, string>;
}

/** An open incident a source may join, as far as this batch knows it. */
interface Candidate {
  id: string;
  lastSeenAt: Date;
  lat: number | null;
  lon: number | null;
}

/**
 * Turns source events into incidents: a source joins the open incident of its correlation key
 * seen within the type's window (and radius), or opens a new one. Runs in the caller's
 * transaction (the inbox's), so the incidents, their evidence and the consumed events commit
 * together, and works a batch at a time in a fixed number of statements.
 */
@Injectable()
export class Correlator {
  constructor(
    private readonly incidents: IncidentsRepository,
    private readonly batch: CorrelationRepository,
    private readonly changes: IncidentChangeLog,
    private readonly centers: OperationsCenterDirectory,
    @Inject(INCIDENTS_OPTIONS) private readonly rules: IncidentsRules,
    private readonly audit: AuditLog,
  ) {}

  /**
   * `opener`: who the audit log names as having opened the incidents the signals open — incidents
   * itself for matches, alerts and outages; the submitter for a citizen report.
   */
  async ingest(
    m: EntityManager,
    signals: Signal[],
    opener: AuditActor = CORRELATOR_ACTOR,
  ): Promise<CorrelationOutcome> {
    const outcome: CorrelationOutcome = { created: 0, joined: 0, duplicates: 0, placed: new Map() };
    if (signals.length === 0) return outcome;
    // Keys are locked in one order by every transaction, so concurrent batches cannot deadlock;
    // the sort is stable, keeping each key's events in the order they arrived.
    const ordered = [...signals].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const keys = [...new Set(ordered.map((s) => s.key))];
    const places = await this.batch.lockKeysAndFindPlaces(
      m,
      keys,
      ordered.map((s) => s.cameraId).filter((id): id is string => id !== null),
    );
    const windowOnlyKeys = new Set(
      ordered.filter((s) => this.rules.correlation[s.type].radiusMeters === undefined).map((s) => s.key),
    );
    const { existing, open } = await this.batch.evidenceAndOpenIncidents(
      m,
      ordered.map((s) => ({ kind: s.source.kind, refId: s.source.refId })),
      [...windowOnlyKeys],
    );
    const byKey = new Map<string, Candidate[]>();
    for (const [key, incident] of open) byKey.set(key, [incident]);

    const drafts: (NewIncident & { id: string })[] = [];
    const sources: (NewSource & { incidentId: string })[] = [];
    const touches = new Map<string, { id: string; seenAt: Date; priority: number }>();
    const created = new Set<string>();

    for (const signal of ordered) {
      const refKey = `${signal.source.kind}:${signal.source.refId}`;
      const known = existing.get(refKey);
      if (known) {
        outcome.placed.set(signal.source.refId, known);
        outcome.duplicates++;
        continue;
      }
      const place = signal.cameraId ? places.get(signal.cameraId) : undefined;
      const lat = signal.lat ?? place?.lat ?? null;
      const lon = signal.lon ?? place?.lon ?? null;
      const rule = this.rules.correlation[signal.type];
      const since = signal.observedAt.getTime() - rule.windowSeconds * 1000;
      const priority = incidentPriority({
        base: signal.basePriority,
        watchlistPriority: signal.watchlistPriority,
        confidence: signal.confidence,
        placeTags: place?.tags,
      });
      let candidate: Candidate | undefined;
      if (rule.radiusMeters === undefined) {
        candidate = (byKey.get(signal.key) ?? []).find((c) => c.lastSeenAt.getTime() >= since);
      } else if (lat !== null && lon !== null) {
        const radius = rule.radiusMeters;
        const near = (c: Candidate) =>
          c.lat !== null &&
          c.lon !== null &&
          distanceMetres({ lat, lon }, { lat: c.lat, lon: c.lon }) <= radius;
        candidate = (byKey.get(signal.key) ?? []).find((c) => c.lastSeenAt.getTime() >= since && near(c));
        if (!candidate) {
          // Radius rules are for alerts and reports, far fewer than matches: one lookup each.
          const found = await this.incidents.findOpenByKey(m, signal.key, new Date(since), {
            lat,
            lon,
            radiusMeters: radius,
          });
          if (found) {
            candidate = found;
            byKey.set(signal.key, [...(byKey.get(signal.key) ?? []), found]);
          }
        }
      }
      const source = { ...signal.source, regionCode: signal.regionCode, lat, lon };
      if (candidate) {
        sources.push({ ...source, incidentId: candidate.id });
        if (candidate.lastSeenAt < signal.observedAt) candidate.lastSeenAt = signal.observedAt;
        if (!created.has(candidate.id)) {
          const touch = touches.get(candidate.id) ?? {
            id: candidate.id,
            seenAt: signal.observedAt,
            priority,
          };
          touch.seenAt = touch.seenAt > signal.observedAt ? touch.seenAt : signal.observedAt;
          touch.priority = Math.max(touch.priority, priority);
          touches.set(candidate.id, touch);
        }
        existing.set(refKey, candidate.id);
        outcome.placed.set(signal.source.refId, candidate.id);
        outcome.joined++;
        continue;
      }
      if (!opensIncident(signal)) continue;
      const id = randomUUID();
      drafts.push({
        id,
        regionCode: signal.regionCode,
        districtCode: place?.districtCode ?? null,
        category: signal.category,
        priority,
        sourceKind: signal.sourceKind,
        title: signal.title,
        description: signal.description,
        lat,
        lon,
        address: signal.address || place?.address || '',
        cameraId: signal.cameraId,
        correlationKey: signal.key,
        occurredAt: signal.observedAt,
        confidence: signal.confidence,
        watchlistPriority: signal.watchlistPriority,
        placeTags: place?.tags ?? [],
        requiredConfirmations: signal.requiredConfirmations,
        visualCheckRequired: signal.visualCheckRequired,
        ...slaDeadlines(this.rules.sla, priority, new Date(), signal.category),
        operationsCenterId:
          lat !== null && lon !== null
            ? (this.centers.covering(signal.regionCode, lat, lon)?.id ?? null)
            : null,
        openedBy: 'incidents',
      });
      sources.push({ ...source, incidentId: id });
      created.add(id);
      byKey.set(signal.key, [
        { id, lastSeenAt: signal.observedAt, lat, lon },
        ...(byKey.get(signal.key) ?? []),
      ]);
      existing.set(refKey, id);
      outcome.placed.set(signal.source.refId, id);
      outcome.created++;
    }

    const { created: inserted, touched } = await this.batch.write(m, drafts, sources, [...touches.values()]);
    // New incidents' sources are known from this batch alone; only the joined ones' are read back.
    const touchedSources = await this.incidents.sourcesOf(
      m,
      touched.map((incident) => incident.id),
    );
    const now = new Date();
    const newSources = new Map<string, SourceRecord[]>();
    for (const source of sources) {
      if (!created.has(source.incidentId)) continue;
      const list = newSources.get(source.incidentId) ?? [];
      list.push({ ...source, addedAt: now });
      newSources.set(source.incidentId, list);
    }
    const actor = actorOf('service', 'incidents');
    await this.changes.record(m, [
      ...inserted.map((incident): IncidentChange => ({
        kind: K.INCIDENT_CHANGE_KIND_CREATED,
        incident,
        sources: newSources.get(incident.id) ?? [],
        actor,
      })),
      ...touched.map((incident): IncidentChange => ({
        kind: K.INCIDENT_CHANGE_KIND_UPDATED,
        incident,
        sources: touchedSources.get(incident.id) ?? [],
        actor,
      })),
    ]);
    // Every creation is audited, as an operator's is: one record per incident, one insert per batch.
    await this.audit.recordMany(
      m,
      inserted.map((incident) => creationRecord(incident, newSources.get(incident.id) ?? [], opener)),
    );
    return outcome;
  }
}

function creationRecord(
  incident: { id: string; regionCode: string; category: number; sourceKind: number },
  sources: readonly SourceRecord[],
  opener: AuditActor,
): AuditEntry {
  return {
    actor: opener,
    action: 'create',
    objectType: 'incident',
    objectId: incident.id,
    regionCode: incident.regionCode,
    details: {
      category: CategoryNames.toName(incident.category),
      source: SourceKindNames.toName(incident.sourceKind),
      // The match, alert, outage or report it was opened from, by id only.
      sourceRefs: sources.map((source) => source.refId),
    },
  };
}
