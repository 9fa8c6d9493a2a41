import { Injectable } from '@nestjs/common';
import { AuditLog, RegionAccess, type Principal, type RegionScope } from '@safecity/security';
import type { EntityManager } from 'typeorm';
import { AUDITED_OBJECTS } from '../watchlists/watchlist';
import { legalBasesOf, matchMessage, type MatchMessage } from './match-messages';
import { MatchesRepository, type MatchRow } from './matches.repository';

/** The shape of the match list's cursor (`decodeCursor`): the last match served. */
export const MATCH_CURSOR = { matchedAt: 'timestamp', id: 'uuid' } as const;

/**
 * What reading and verifying matches share: the transaction scoped to the caller's regions, a
 * match with its verifications, and the audit record of every view of one.
 */
@Injectable()
export class MatchViews {
  constructor(
    private readonly matches: MatchesRepository,
    private readonly access: RegionAccess,
    private readonly audit: AuditLog,
  ) {}

  inScope<T>(scope: RegionScope, work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.access.run(scope, work);
  }

  async withVerifications(m: EntityManager, rows: readonly MatchRow[]): Promise<MatchMessage[]> {
    const all = await this.matches.verifications(
      m,
      rows.map((r) => r.id),
    );
    return rows.map((row) =>
      matchMessage(
        row,
        all.filter((v) => v.matchId === row.id),
      ),
    );
  }

  recordView(m: EntityManager, actor: Principal, message: MatchMessage, purpose: string) {
    return this.audit.record(m, {
      actor,
      action: 'read',
      objectType: AUDITED_OBJECTS.match,
      objectId: message.match.id,
      regionCode: message.match.regionCode,
      purpose,
      legalBasis: legalBasesOf(message),
      details: { kind: message.kind },
    });
  }
}
