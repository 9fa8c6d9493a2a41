import { Injectable } from '@nestjs/common';
import { EventTypes, type recognition } from '@safecity/contracts';
import { Inbox, type ConsumedEvent } from '@safecity/messaging';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import { RegionTransaction } from '../../../access/region-transaction';
import { INCIDENTS_POLICIES as P } from '../../../incidents.policies';
import { CommitSignal } from '../../../live/commit-signal';
import { Correlator } from '../../correlator';
import { MatchStatusFollower } from '../../match-status.follower';
import { behaviourSignal, cameraStatusSignal, faceSignal, plateSignal, type Signal } from '../../signals';
import type { CorrelateSourceEvents, SourceEvent, SourceEventType } from './correlate-source-events.command';

const SOURCE_EVENT_TYPES: ReadonlySet<string> = new Set<SourceEventType>([
  EventTypes.PlateMatched,
  EventTypes.FaceMatched,
  EventTypes.BehaviourAlertRaised,
  EventTypes.CameraStatusChanged,
  EventTypes.MatchStatusChanged,
]);

/** The transport decoded each record by its type: the ones incidents handles carry their message. */
function isSourceEvent(event: ConsumedEvent): event is ConsumedEvent & SourceEvent {
  return SOURCE_EVENT_TYPES.has(event.type);
}

/**
 * Matches, alerts and camera outages become incidents, and recognition's verdicts on matches move
 * them. A batch is handled in one transaction with the inbox, so a redelivered event changes
 * nothing; an event that can never become a signal fails the batch as invalid data, which the
 * transport then replays one by one so that only that event is dead-lettered. A batch is what one
 * fetch brought from all partitions: the transactions of a batch per partition would queue behind
 * one another for the change feed's lock.
 */
@Injectable()
export class CorrelateSourceEventsUseCase extends UseCaseHandler<CorrelateSourceEvents, void> {
  constructor(
    private readonly transaction: RegionTransaction,
    private readonly inbox: Inbox,
    private readonly correlator: Correlator,
    private readonly matchStatus: MatchStatusFollower,
    private readonly commits: CommitSignal,
  ) {
    super();
  }

  @UseCase(P.correlateSourceEvents)
  async execute({ events }: CorrelateSourceEvents): Promise<void> {
    // Mapped before the transaction: a malformed event fails fast, before anything is written.
    const signals = events.map((event) => ({ event, signal: isSourceEvent(event) ? signalOf(event) : null }));
    // The inbox joins the unit of work: the events are recorded with their effect or not at all.
    const { fresh } = await this.transaction.run(RegionScope.allRegions(), () =>
      this.inbox.onceEach(events, async (m, freshEvents) => {
        const ids = new Set(freshEvents.map((e) => e.id));
        const mine = signals.filter((s) => ids.has(s.event.id));
        await this.correlator.ingest(
          m,
          mine.map((s) => s.signal).filter((s): s is Signal => s !== null),
        );
        const statuses: recognition.MatchStatusChanged[] = [];
        for (const { event } of mine) {
          if (isSourceEvent(event) && event.type === EventTypes.MatchStatusChanged) statuses.push(event.data);
        }
        await this.matchStatus.apply(m, statuses);
      }),
    );
    // Tells the outbox relay of the rows this batch committed (see CommitSignal).
    if (fresh.length > 0) this.commits.notify();
  }
}

function signalOf(event: SourceEvent): Signal | null {
  switch (event.type) {
    case EventTypes.PlateMatched:
      return plateSignal(event.data.match);
    case EventTypes.FaceMatched:
      return faceSignal(event.data.match);
    case EventTypes.BehaviourAlertRaised:
      return behaviourSignal(event.data.alert);
    case EventTypes.CameraStatusChanged:
      return cameraStatusSignal(event.data);
    case EventTypes.MatchStatusChanged:
      if (!event.data.matchId)
        throw new InvalidError({ field: 'matchId', reason: 'MatchStatusChanged: matchId is missing' });
      return null;
  }
}
