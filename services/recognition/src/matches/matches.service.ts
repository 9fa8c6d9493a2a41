import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { EventTypes, recognition, Topics } from '@safecity/contracts';
import { Outbox } from '@safecity/messaging';
import { AuditLog, RegionScope, UseCase, type AuditActor, type Principal } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../recognition.policies';
import { ConflictFieldException, UnprocessableFieldException } from '@safecity/service-kit';
import type { EntityManager } from 'typeorm';
import { AUDITED_OBJECTS, withinScope } from '../watchlists/watchlist';
import { regionsOf } from '../watchlists/watchlists.service';
import {
  KIND_MESSAGE,
  legalBasesOf,
  matchMessage,
  STATUS_MESSAGE,
  verificationMessage,
  type MatchMessage,
} from './match-messages';
import {
  decideVerification,
  REQUIRED_CONFIRMATIONS,
  type MatchKindName,
  type MatchStatusName,
  type Verdict,
} from './match-verification';
import { MatchesRepository, type MatchFilter, type MatchRow } from './matches.repository';

/** Who raises matches in the audit log: the matcher itself. */
export const MATCHER_ACTOR: AuditActor = {
  subject: 'service:recognition',
  kind: 'service',
  roles: ['service'],
};

export interface NewMatch {
  message: MatchMessage;
  watchlistIds: string[];
  entryIds: string[];
}

export interface VerifyMatchCommand {
  verdict: Verdict;
  plateChecked?: boolean;
  vehicleChecked?: boolean;
  comment?: string;
  purpose?: string;
}

export interface VerifyMatchResult {
  status: MatchStatusName;
  confirmations: number;
  requiredConfirmations: number;
}

/** Matches: raised by the matchers, seen by operators (every view audited), verified by people. */

/** The shape of the match list's cursor (`decodeCursor`): the last match served. */
export const MATCH_CURSOR = { matchedAt: 'timestamp', id: 'uuid' } as const;

@Injectable()
export class MatchesService {
  constructor(
    private readonly matches: MatchesRepository,
    private readonly outbox: Outbox,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Stores a match pending verification with its event and its audit record, inside the
   * transaction that stored the detection. False if the detection had already raised it.
   */
  async raise(manager: EntityManager, match: NewMatch): Promise<boolean> {
    const { message } = match;
    const m = message.match;
    return withinScope(manager, RegionScope.allRegions(), async (tx) => {
      const inserted = await this.matches.insert(tx, {
        id: m.id,
        kind: message.kind,
        detectionId: m.detectionId,
        cameraId: m.cameraId,
        videoSystemId: m.videoSystemId,
        regionCode: m.regionCode,
        observedAt: m.observedAt ?? m.matchedAt ?? new Date(),
        matchedAt: m.matchedAt ?? new Date(),
        status: 'pending-verification',
        requiredConfirmations: REQUIRED_CONFIRMATIONS[message.kind],
        watchlistIds: [...new Set(match.watchlistIds)],
        entryIds: [...new Set(match.entryIds)],
        detail: Buffer.from(encode(message)),
      });
      if (!inserted) return false;
      await this.outbox.add(tx, {
        id: m.id,
        topic: Topics.Matches,
        key: m.id,
        type: message.kind === 'plate' ? EventTypes.PlateMatched : EventTypes.FaceMatched,
        payload:
          message.kind === 'plate'
            ? recognition.PlateMatched.encode({ match: message.match }).finish()
            : recognition.FaceMatched.encode({ match: message.match }).finish(),
        subject: `match/${m.id}`,
        region: m.regionCode,
        time: m.matchedAt ?? undefined,
      });
      await this.audit.record(tx, {
        actor: MATCHER_ACTOR,
        action: 'create',
        objectType: AUDITED_OBJECTS.match,
        objectId: m.id,
        regionCode: m.regionCode,
        purpose: `${message.kind} watchlist matching`,
        legalBasis: legalBasesOf(message),
        details: { kind: message.kind, detectionId: m.detectionId, entries: match.entryIds.length },
      });
      return true;
    });
  }

  /** One match, its view audited; 404 when missing or outside the caller's regions. */
  @UseCase(P.getMatch)
  async get(id: string, actor: Principal, purpose: string): Promise<MatchMessage> {
    const scope = RegionScope.of(actor);
    return this.outbox.transaction((tx) =>
      withinScope(tx, scope, async (m) => {
        const row = await this.matches.find(m, regionsOf(scope), id);
        if (!row) throw new NotFoundException(`match ${id} not found`);
        const [message] = await this.withVerifications(m, [row]);
        await this.recordView(m, actor, message, purpose);
        return message;
      }),
    );
  }

  /** A page of matches, newest first; each match on it is a view, audited. */
  @UseCase(P.listMatches)
  async list(
    filter: Omit<MatchFilter, 'regions'>,
    actor: Principal,
    purpose: string,
  ): Promise<{ items: MatchMessage[]; next: { matchedAt: string; id: string } | null }> {
    const scope = RegionScope.of(actor);
    if (filter.regionCode && !scope.includes(filter.regionCode)) return { items: [], next: null };
    return this.outbox.transaction((tx) =>
      withinScope(tx, scope, async (m) => {
        const rows = await this.matches.list(m, {
          ...filter,
          regions: regionsOf(scope),
          limit: filter.limit + 1,
        });
        const page = rows.slice(0, filter.limit);
        const items = await this.withVerifications(m, page);
        for (const message of items) await this.recordView(m, actor, message, purpose);
        const last = page[page.length - 1];
        return {
          items,
          next: rows.length > filter.limit ? { matchedAt: last.matchedAt.toISOString(), id: last.id } : null,
        };
      }),
    );
  }

  /** Records one person's check of a match and moves its status by the human-in-the-loop rule. */
  @UseCase(P.verifyMatch)
  async verify(id: string, command: VerifyMatchCommand, actor: Principal): Promise<VerifyMatchResult> {
    // Only a person can look at a picture; a service or a video system never verifies.
    if (actor.kind !== 'user') throw new ForbiddenException('matches are verified by people only');
    const scope = RegionScope.of(actor);
    return this.outbox.transaction((tx) =>
      withinScope(tx, scope, async (m) => {
        const row = await this.matches.find(m, regionsOf(scope), id, true);
        if (!row) throw new NotFoundException(`match ${id} not found`);
        const previous = await this.matches.verifications(m, [row.id]);
        const outcome = decideVerification(
          {
            kind: row.kind,
            status: row.status,
            requiredConfirmations: row.requiredConfirmations,
            verdicts: previous,
          },
          {
            actorSubject: actor.subject,
            verdict: command.verdict,
            plateChecked: command.plateChecked ?? false,
            vehicleChecked: command.vehicleChecked ?? false,
          },
        );
        if (!outcome.ok) {
          if (outcome.code === 'conflict') throw new ConflictFieldException(outcome.field, outcome.reason);
          throw new UnprocessableFieldException(outcome.field, outcome.reason);
        }
        const recorded = await this.matches.addVerification(m, row.regionCode, {
          matchId: row.id,
          actorSubject: actor.subject,
          actorKind: actor.kind,
          actorName: actor.name ?? null,
          verdict: command.verdict,
          plateChecked: command.plateChecked ?? false,
          vehicleChecked: command.vehicleChecked ?? false,
          comment: command.comment ?? '',
        });
        if (!recorded) throw new ConflictFieldException('actor', 'you have already verified this match');
        await this.matches.setStatus(m, row.id, outcome.status, outcome.confirmations);
        await this.emitStatusChange(m, row, outcome.status, outcome.confirmations, recorded);
        const [message] = await this.withVerifications(m, [{ ...row, status: outcome.status }]);
        await this.audit.record(m, {
          actor,
          action: 'update',
          objectType: AUDITED_OBJECTS.match,
          objectId: row.id,
          regionCode: row.regionCode,
          purpose: command.purpose?.trim() || 'match verification',
          legalBasis: legalBasesOf(message),
          details: { verdict: command.verdict, from: row.status, to: outcome.status },
        });
        return {
          status: outcome.status,
          confirmations: outcome.confirmations,
          requiredConfirmations: row.requiredConfirmations,
        };
      }),
    );
  }

  private async emitStatusChange(
    m: EntityManager,
    row: MatchRow,
    status: MatchStatusName,
    confirmations: number,
    verification: Parameters<typeof verificationMessage>[0],
  ) {
    const changedAt = verification.verifiedAt;
    const event: recognition.MatchStatusChanged = {
      matchId: row.id,
      kind: KIND_MESSAGE[row.kind],
      regionCode: row.regionCode,
      status: STATUS_MESSAGE[status],
      previousStatus: STATUS_MESSAGE[row.status],
      verification: verificationMessage(verification),
      confirmations,
      requiredConfirmations: row.requiredConfirmations,
      changedAt,
    };
    await this.outbox.add(m, {
      topic: Topics.Matches,
      key: row.id,
      type: EventTypes.MatchStatusChanged,
      payload: recognition.MatchStatusChanged.encode(event).finish(),
      subject: `match/${row.id}`,
      region: row.regionCode,
      time: changedAt,
    });
  }

  private async withVerifications(m: EntityManager, rows: readonly MatchRow[]): Promise<MatchMessage[]> {
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

  private recordView(m: EntityManager, actor: Principal, message: MatchMessage, purpose: string) {
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

function encode(message: MatchMessage): Uint8Array {
  return message.kind === 'plate'
    ? recognition.PlateMatch.encode(message.match).finish()
    : recognition.FaceMatch.encode(message.match).finish();
}

export type { MatchKindName };
