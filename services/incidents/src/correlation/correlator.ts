import { Inject, Injectable } from '@nestjs/common';
import { incidents as contract } from '@safecity/contracts';
import type { EntityManager } from 'typeorm';
import { CameraDirectoryRepository } from '../camera-directory/camera-directory.repository';
import { IncidentChangeLog, type IncidentChange } from '../incidents/incident-change-log';
import { actorOf } from '../incidents/incident.model';
import { INCIDENTS_OPTIONS, type IncidentsRules } from '../incidents/incidents.options';
import { IncidentsRepository } from '../incidents/incidents.repository';
import { slaDeadlines } from '../operations/sla-policy';
import { OperationsCenterDirectory } from '../operations/operations-center.directory';
import { incidentPriority } from './priority';
import { opensIncident, type Signal } from './signals';

const K = contract.IncidentChangeKind;

export interface CorrelationOutcome {
  created: number;
  joined: number;
  /** Sources that were already evidence of an incident (a re-sent match): nothing changed. */
  duplicates: number;
  /** The incident each source ref id now belongs to. */
  placed: Map<string, string>;
}

/**
 * Turns source events into incidents: a source joins the open incident of its correlation key
 * seen within the type's window (and radius), or opens a new one. Runs in the caller's
 * transaction (the inbox's), so the incident, its evidence and the consumed event commit together.
 */
@Injectable()
export class Correlator {
  constructor(
    private readonly incidents: IncidentsRepository,
    private readonly cameras: CameraDirectoryRepository,
    private readonly changes: IncidentChangeLog,
    private readonly centers: OperationsCenterDirectory,
    @Inject(INCIDENTS_OPTIONS) private readonly rules: IncidentsRules,
  ) {}

  async ingest(m: EntityManager, signals: Signal[]): Promise<CorrelationOutcome> {
    const outcome: CorrelationOutcome = { created: 0, joined: 0, duplicates: 0, placed: new Map() };
    if (signals.length === 0) return outcome;
    // Keys are locked in one order by every transaction, so concurrent batches cannot deadlock;
    // the sort is stable, keeping each key's events in the order they arrived.
    const ordered = [...signals].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const keys = [...new Set(ordered.map((s) => s.key))];
    await m.query(
      `SELECT pg_advisory_xact_lock(hashtext('correlation:' || k)) FROM unnest($1::text[]) AS k`,
      [keys],
    );
    const places = await this.cameras.places(
      m,
      ordered.map((s) => s.cameraId).filter((id): id is string => id !== null),
    );
    const created = new Set<string>();
    const touched = new Set<string>();
    for (const signal of ordered) {
      const place = signal.cameraId ? places.get(signal.cameraId) : undefined;
      const lat = signal.lat ?? place?.lat ?? null;
      const lon = signal.lon ?? place?.lon ?? null;
      const source = { ...signal.source, regionCode: signal.regionCode, lat, lon };
      const existing = await this.incidents.sourceExists(m, source.kind, source.refId);
      if (existing) {
        outcome.placed.set(source.refId, existing);
        outcome.duplicates++;
        continue;
      }
      const rule = this.rules.correlation[signal.type];
      const since = new Date(signal.observedAt.getTime() - rule.windowSeconds * 1000);
      const near =
        rule.radiusMeters !== undefined && lat !== null && lon !== null
          ? { lat, lon, radiusMeters: rule.radiusMeters }
          : undefined;
      const priority = incidentPriority({
        base: signal.basePriority,
        watchlistPriority: signal.watchlistPriority,
        confidence: signal.confidence,
        placeTags: place?.tags,
      });
      const open = await this.incidents.findOpenByKey(m, signal.key, since, near);
      if (open) {
        await this.incidents.addSource(m, open.id, source);
        await this.incidents.touch(m, open.id, signal.observedAt, priority);
        touched.add(open.id);
        outcome.placed.set(source.refId, open.id);
        outcome.joined++;
        continue;
      }
      if (!opensIncident(signal)) continue;
      const now = new Date();
      const incident = await this.incidents.insert(m, {
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
        ...slaDeadlines(this.rules.sla, priority, now, signal.category),
        operationsCenterId:
          lat !== null && lon !== null
            ? (this.centers.covering(signal.regionCode, lat, lon)?.id ?? null)
            : null,
        openedBy: 'incidents',
      });
      await this.incidents.addSource(m, incident.id, source);
      created.add(incident.id);
      outcome.placed.set(source.refId, incident.id);
      outcome.created++;
    }
    const ids = [...new Set([...created, ...touched])];
    if (ids.length > 0) {
      const rows = await this.incidents.findByIds(m, ids);
      const sources = await this.incidents.sourcesOf(m, ids);
      const actor = actorOf('service', 'incidents');
      await this.changes.record(
        m,
        rows.map((incident): IncidentChange => ({
          kind: created.has(incident.id) ? K.INCIDENT_CHANGE_KIND_CREATED : K.INCIDENT_CHANGE_KIND_UPDATED,
          incident,
          sources: sources.get(incident.id) ?? [],
          actor,
        })),
      );
    }
    return outcome;
  }
}
