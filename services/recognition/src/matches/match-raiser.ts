import { Injectable } from '@nestjs/common';
import { EventTypes, recognition, Topics } from '@safecity/contracts';
import { Outbox } from '@safecity/messaging';
import { type AuditActor, AuditLog, RegionAccess, RegionScope } from '@safecity/security';
import type { EntityManager } from 'typeorm';
import { AUDITED_OBJECTS } from '../watchlists/watchlist';
import { legalBasesOf, type MatchMessage } from './match-messages';
import { REQUIRED_CONFIRMATIONS } from './match-verification';
import { MatchesRepository } from './matches.repository';

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

/**
 * Raises the matches the plate and face analysers find, inside the transaction that stores the
 * detections (the ingestion use cases'): the match pending verification, its event and its audit
 * record.
 */
@Injectable()
export class MatchRaiser {
  constructor(
    private readonly access: RegionAccess,
    private readonly matches: MatchesRepository,
    private readonly outbox: Outbox,
    private readonly audit: AuditLog,
  ) {}

  /** False if the detection had already raised it. */
  async raise(manager: EntityManager, match: NewMatch): Promise<boolean> {
    const { message } = match;
    const m = message.match;
    return this.access.within(RegionScope.allRegions(), async (tx) => {
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
}

function encode(message: MatchMessage): Uint8Array {
  return message.kind === 'plate'
    ? recognition.PlateMatch.encode(message.match).finish()
    : recognition.FaceMatch.encode(message.match).finish();
}
