import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { incidents as contract } from '@safecity/contracts';
import { INCIDENT_SLA_BREACHES_TOTAL, MetricsService } from '@safecity/observability';
import { RegionScope } from '@safecity/security';
import { RegionTransaction } from '../access/region-transaction';
import type { EntityManager } from 'typeorm';
import { PriorityNames } from '../incidents/enum-names';
import { IncidentChangeLog } from '../incidents/incident-change-log';
import { actorOf } from '../incidents/incident.model';
import { IncidentsRepository } from '../incidents/incidents.repository';

const Stage = contract.SlaStage;
const BATCH = 500;

export const SLA_CHECK_INTERVAL = Symbol('SLA_CHECK_INTERVAL');

/**
 * Watches the SLA deadlines: an incident still unverified past its verify deadline, or not yet
 * dispatched past its dispatch deadline, is escalated once per stage. The escalation is an
 * `IncidentChanged` (UPDATED, with the breached stage in `sla.breached_stages`) on
 * `safecity.incidents.v1` and on the live stream, a row supervisors see, and a metric. Rows are
 * claimed with SKIP LOCKED, so several instances share the work without escalating twice.
 */
@Injectable()
export class SlaMonitor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('incidents:sla');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly transaction: RegionTransaction,
    private readonly repository: IncidentsRepository,
    private readonly changes: IncidentChangeLog,
    private readonly metrics: MetricsService,
  ) {}

  /** 0 turns the timer off (tests call `check` themselves). */
  intervalMs = 5_000;

  onApplicationBootstrap() {
    if (this.intervalMs <= 0) return;
    this.timer = setInterval(
      () => void this.check().catch((e) => this.logger.warn(String(e))),
      this.intervalMs,
    );
    this.timer.unref();
  }

  async onModuleDestroy() {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Escalates what is overdue at `now`; returns the number of escalations. */
  check(now = new Date()): Promise<number> {
    if (!this.running) {
      this.running = this.transaction
        .run(RegionScope.allRegions(), (m) => this.escalate(m, now))
        .finally(() => (this.running = null));
    }
    return this.running;
  }

  private async escalate(m: EntityManager, now: Date): Promise<number> {
    const due = (await m.query(
      `SELECT id, stage, due_at AS "dueAt" FROM (
         SELECT id, ${Stage.SLA_STAGE_VERIFY} AS stage, verify_due_at AS due_at FROM incidents
          WHERE state = 1 AND verify_due_at <= $1 AND NOT (${Stage.SLA_STAGE_VERIFY} = ANY(breached_stages))
         UNION ALL
         SELECT id, ${Stage.SLA_STAGE_DISPATCH}, dispatch_due_at FROM incidents
          WHERE state IN (1, 2) AND dispatch_due_at <= $1 AND NOT (${Stage.SLA_STAGE_DISPATCH} = ANY(breached_stages))
       ) AS overdue ORDER BY due_at LIMIT ${BATCH}`,
      [now],
    )) as { id: string; stage: number; dueAt: Date }[];
    if (due.length === 0) return 0;
    const locked = new Set(
      (
        (await m.query(`SELECT id FROM incidents WHERE id = ANY($1::uuid[]) FOR UPDATE SKIP LOCKED`, [
          [...new Set(due.map((d) => d.id))],
        ])) as { id: string }[]
      ).map((r) => r.id),
    );
    const mine = due.filter((d) => locked.has(d.id));
    const reasons = new Map<string, string[]>();
    for (const breach of mine) {
      const [rows] = (await m.query(
        `UPDATE incidents SET breached_stages = array_append(breached_stages, $2), updated_at = now(),
           version = version + 1
         WHERE id = $1 AND NOT ($2 = ANY(breached_stages)) RETURNING region_code AS "regionCode", priority`,
        [breach.id, breach.stage],
      )) as [{ regionCode: string; priority: number }[], number];
      const row = rows[0];
      if (!row) continue;
      await m.query(
        `INSERT INTO sla_escalations (incident_id, stage, region_code, priority, due_at, breached_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [breach.id, breach.stage, row.regionCode, row.priority, breach.dueAt, now],
      );
      const stage = Stage[breach.stage].replace('SLA_STAGE_', '').toLowerCase();
      this.metrics
        .platform(INCIDENT_SLA_BREACHES_TOTAL)
        .inc({ stage, priority: PriorityNames.toName(row.priority), region: row.regionCode });
      reasons.set(breach.id, [...(reasons.get(breach.id) ?? []), `SLA breach: ${stage}`]);
    }
    const ids = [...reasons.keys()];
    const incidents = await this.repository.findByIds(m, ids);
    const sources = await this.repository.sourcesOf(m, ids);
    await this.changes.record(
      m,
      incidents.map((incident) => ({
        kind: contract.IncidentChangeKind.INCIDENT_CHANGE_KIND_UPDATED,
        incident,
        sources: sources.get(incident.id) ?? [],
        actor: actorOf('service', 'incidents'),
        reason: reasons.get(incident.id)!.join('; '),
      })),
    );
    return mine.length;
  }
}
