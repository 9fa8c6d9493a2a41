import { Injectable } from '@nestjs/common';
import { EventTypes, recognition, Topics } from '@safecity/contracts';
import { Outbox } from '@safecity/messaging';
import { AuditLog, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from '@safecity/service-kit';
import type { EntityManager } from 'typeorm';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { AUDITED_OBJECTS } from '../../../watchlists/watchlist';
import { regionsOf } from '../../../watchlists/watchlist-changes';
import { KIND_MESSAGE, legalBasesOf, STATUS_MESSAGE, verificationMessage } from '../../match-messages';
import { decideVerification, type MatchStatusName } from '../../match-verification';
import { MatchViews } from '../../match-views';
import { MatchesRepository, type MatchRow } from '../../matches.repository';
import type { VerifyMatch, VerifyMatchResult } from './verify-match.command';

/**
 * Records one person's check of a match and moves its status by the human-in-the-loop rule
 * (`match-verification.ts`): a face match needs two different people, a plate match one who
 * checked both the plate and the vehicle. The change is announced and audited.
 */
@Injectable()
export class VerifyMatchUseCase extends UseCaseHandler<VerifyMatch, VerifyMatchResult> {
  constructor(
    private readonly matches: MatchesRepository,
    private readonly views: MatchViews,
    private readonly outbox: Outbox,
    private readonly audit: AuditLog,
  ) {
    super();
  }

  @UseCase(P.verifyMatch)
  async execute(command: VerifyMatch): Promise<VerifyMatchResult> {
    const { actor } = command;
    // Only a person can look at a picture; a service or a video system never verifies.
    if (actor.kind !== 'user') throw new ForbiddenError('matches are verified by people only');
    const scope = RegionScope.of(actor);
    return this.views.inScope(scope, async (m) => {
      const row = await this.matches.find(m, regionsOf(scope), command.matchId, true);
      if (!row) throw new NotFoundError(`match ${command.matchId} not found`);
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
        if (outcome.code === 'conflict') throw new ConflictError(outcome.reason, { field: outcome.field });
        throw new InvalidError({ field: outcome.field, reason: outcome.reason });
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
      if (!recorded) throw new ConflictError('you have already verified this match', { field: 'actor' });
      await this.matches.setStatus(m, row.id, outcome.status, outcome.confirmations);
      await this.announce(m, row, outcome.status, outcome.confirmations, recorded);
      const [message] = await this.views.withVerifications(m, [{ ...row, status: outcome.status }]);
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
    });
  }

  private async announce(
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
}
