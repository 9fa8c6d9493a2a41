import { Injectable, Logger } from '@nestjs/common';
import { AuditLog, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { RegionTransaction } from '../../../access/region-transaction';
import { INCIDENTS_POLICIES as P } from '../../../incidents.policies';
import { auditFaceMatchReads, type IncidentReader } from '../../../incidents/face-match-reads';
import type { FeedEntry } from '../../../incidents/incident-change-log';
import { IncidentsRepository } from '../../../incidents/incidents.repository';
import { LiveFeed } from '../../live-feed';
import { visibleKindNames } from '../../visibility';
import type { StreamIncidents } from './stream-incidents.command';

/** How long face-match disclosures of a stream gather before they are written to the audit log. */
const DISCLOSURE_FLUSH_MS = 1_000;

/**
 * The live stream as a use case: the caller's regions and the kinds of incident its roles may see,
 * and the face-match incidents the stream carries to it, each a disclosure. Those are gathered and
 * written to the audit log about once a second and when the stream ends, off the fan-out path,
 * one record per incident in one insert.
 */
@Injectable()
export class StreamIncidentsUseCase extends UseCaseHandler<StreamIncidents, () => void> {
  private readonly logger = new Logger('incidents:stream');

  constructor(
    private readonly feed: LiveFeed,
    private readonly transaction: RegionTransaction,
    private readonly repository: IncidentsRepository,
    private readonly audit: AuditLog,
  ) {
    super();
  }

  /** Connects a client; resolves to the function that disconnects it. */
  @UseCase(P.streamIncidents)
  async execute({ actor, purpose, client, lastEventId }: StreamIncidents): Promise<() => void> {
    const reader: IncidentReader = { actor, purpose };
    const disclosures = new StreamDisclosures((ids) => this.recordDisclosures(reader, ids), this.logger);
    const unsubscribe = await this.feed.subscribe(
      {
        ...client,
        scope: RegionScope.of(reader.actor),
        kinds: visibleKindNames(reader.actor),
        disclosed: (entries) => disclosures.add(entries),
      },
      lastEventId,
    );
    return () => {
      unsubscribe();
      disclosures.end();
    };
  }

  private async recordDisclosures(reader: IncidentReader, ids: string[]): Promise<void> {
    await this.transaction.run(RegionScope.of(reader.actor), async (m) => {
      const incidents = await this.repository.findByIds(m, ids);
      const sources = await this.repository.sourcesOf(m, ids);
      await auditFaceMatchReads(this.audit, m, reader, incidents, sources);
    });
  }
}

/** The face-match incidents one stream disclosed and has not yet recorded. */
class StreamDisclosures {
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private ended = false;
  /** Attempts left once the stream has ended (while it runs, every flush tries again). */
  private lastAttempts = 5;

  constructor(
    private readonly write: (ids: string[]) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  add(entries: readonly FeedEntry[]): void {
    for (const entry of entries) this.pending.add(entry.incidentId);
    this.schedule();
  }

  /** The stream ended: what it disclosed meanwhile is recorded now. */
  end(): void {
    this.ended = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    void this.flush();
  }

  private schedule(): void {
    if (this.timer || this.pending.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, DISCLOSURE_FLUSH_MS);
    this.timer.unref();
  }

  private async flush(): Promise<void> {
    if (this.writing) await this.writing;
    if (this.pending.size === 0) return;
    const ids = [...this.pending];
    this.pending = new Set();
    this.writing = this.write(ids)
      .catch((error: unknown) => {
        // Kept for the next attempt: a disclosure is recorded late rather than not at all.
        for (const id of ids) this.pending.add(id);
        this.logger.warn({
          msg: 'stream disclosures not yet recorded',
          count: ids.length,
          error: String(error),
        });
        if (!this.ended || this.lastAttempts-- > 0) this.schedule();
      })
      .finally(() => {
        this.writing = null;
      });
    await this.writing;
  }
}
