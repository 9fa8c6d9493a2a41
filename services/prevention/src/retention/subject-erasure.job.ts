import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AuditLog, RegionAccess, RegionScope } from '@safecity/security';
import { SUBJECT_OBJECT } from '../cases/case-audit';
import { SERVICE_ACTOR } from '../triggers/trigger-rules';

export interface SubjectErasureOptions {
  /** Days after a subject's last case closed before its personal data is erased. */
  retentionDays: number;
  /** Default one hour. */
  intervalMs?: number;
  /** Whether runs are scheduled at all; default true. Off, the job runs only when asked (`runOnce`). */
  scheduled?: boolean;
  /** Subjects per transaction; default 200. */
  batchSize?: number;
}

export interface ErasureRun {
  ran: boolean;
  erased: number;
}

/**
 * Erases the personal data of people and families once every case about them has been closed
 * for longer than the retention period: the subject's name, identifier, birth date, address and
 * notes, and the free text written about them in their cases (measure descriptions and results,
 * review conclusions, the risk rationale, notes on status changes). The cases stay, pseudonymous,
 * for the KPIs. Each erasure is audited. One instance at a time (advisory lock).
 */
export class SubjectErasureJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<ErasureRun>;
  private stopped = true;
  private readonly logger = new Logger('SubjectErasure');

  constructor(
    /** Each batch is a unit of work of its own, over every region. */
    private readonly access: RegionAccess,
    private readonly auditLog: AuditLog,
    private readonly options: SubjectErasureOptions,
  ) {
    if (!(Number.isInteger(options.retentionDays) && options.retentionDays > 0)) {
      throw new RangeError('subject retention must be a positive number of days');
    }
  }

  onApplicationBootstrap(): void {
    if (this.options.scheduled === false) return;
    this.stopped = false;
    this.schedule(Math.floor(Math.random() * 60_000));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.runOnce()
        .catch((error: unknown) => this.logger.error(`erasure run failed: ${(error as Error).message}`))
        .finally(() => this.schedule(this.options.intervalMs ?? 3_600_000));
    }, delay);
    this.timer.unref();
  }

  runOnce(): Promise<ErasureRun> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(): Promise<ErasureRun> {
    let erased = 0;
    // Bounded: at most 100 batches a run, so one backlog cannot hold the lock for hours.
    for (let batch = 0; batch < 100; batch++) {
      const result = await this.access.run(RegionScope.allRegions(), async (m) => {
        const [{ locked }] = (await m.query('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [
          'prevention:subject-erasure',
        ])) as [{ locked: boolean }];
        if (!locked) return null;
        const due = (await m.query(
          `SELECT s.id, s.region_code AS "regionCode", array_agg(c.id::text ORDER BY c.id) AS "caseIds"
           FROM subjects s JOIN cases c ON c.subject_id = s.id
           WHERE s.erased_at IS NULL AND s.kind IN ('person', 'family')
           GROUP BY s.id, s.region_code
           HAVING bool_and(c.status = 'closed' AND c.closed_at < now() - make_interval(days => $1))
           LIMIT $2`,
          [this.options.retentionDays, this.options.batchSize ?? 200],
        )) as { id: string; regionCode: string; caseIds: string[] }[];
        for (const subject of due) {
          await m.query(
            `UPDATE subjects SET name = NULL, identifier = NULL, birth_date = NULL, address = NULL, address_key = NULL,
               lat = NULL, lon = NULL, notes = NULL, erased_at = now() WHERE id = $1`,
            [subject.id],
          );
          await m.query(`UPDATE cases SET risk_rationale = NULL WHERE id = ANY($1::uuid[])`, [
            subject.caseIds,
          ]);
          await m.query(
            `UPDATE measures SET description = NULL, result = NULL WHERE case_id = ANY($1::uuid[])`,
            [subject.caseIds],
          );
          await m.query(`UPDATE reviews SET conclusion = '' WHERE case_id = ANY($1::uuid[])`, [
            subject.caseIds,
          ]);
          await m.query(
            `UPDATE case_timeline SET details = details - 'note' WHERE case_id = ANY($1::uuid[])`,
            [subject.caseIds],
          );
          await this.auditLog.record(m, {
            actor: SERVICE_ACTOR,
            action: 'erase',
            objectType: SUBJECT_OBJECT,
            objectId: subject.id,
            regionCode: subject.regionCode,
            purpose: 'retention',
            legalBasis: `prevention case subjects are kept ${this.options.retentionDays} days after their last case closed`,
            details: { caseIds: subject.caseIds },
          });
        }
        return due.length;
      });
      if (result === null) return { ran: false, erased };
      erased += result;
      if (result < (this.options.batchSize ?? 200)) break;
    }
    if (erased > 0) this.logger.log(`erased the personal data of ${erased} subject(s)`);
    return { ran: true, erased };
  }
}
