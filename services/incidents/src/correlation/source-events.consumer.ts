import { EventPattern, Payload } from '@nestjs/microservices';
import { EventTypes, Topics, type CameraStatusChanged, recognition } from '@safecity/contracts';
import { EventConsumer, Inbox, NonRetriableEventError, type ConsumedEvent } from '@safecity/messaging';
import { RegionScope, ScopedTransaction } from '@safecity/security';
import { CommitSignal } from '../live/commit-signal';
import { Correlator } from './correlator';
import { MatchStatusFollower } from './match-status.follower';
import { behaviourSignal, cameraStatusSignal, faceSignal, plateSignal, type Signal } from './signals';

/**
 * Matches, alerts and camera outages become incidents. Batches are handled in one transaction
 * with the inbox, so a redelivered event changes nothing; a malformed event fails the batch, which
 * the transport then replays one by one so that only that event is dead-lettered. A batch is what
 * one fetch brought from all partitions: the transactions of a batch per partition would queue
 * behind one another for the change feed's lock.
 */
@EventConsumer()
export class SourceEventsConsumer {
  constructor(
    private readonly inbox: Inbox,
    private readonly correlator: Correlator,
    private readonly matchStatus: MatchStatusFollower,
    private readonly commits: CommitSignal,
  ) {}

  @EventPattern(Topics.Matches, { batch: true, acrossPartitions: true })
  async onMatches(@Payload() events: ConsumedEvent[]) {
    await this.consume(events);
  }

  @EventPattern(Topics.Alerts, { batch: true, acrossPartitions: true })
  async onAlerts(@Payload() events: ConsumedEvent[]) {
    await this.consume(events);
  }

  @EventPattern(Topics.CameraStatus, { batch: true, acrossPartitions: true })
  async onCameraStatus(@Payload() events: ConsumedEvent[]) {
    await this.consume(events);
  }

  private async consume(events: ConsumedEvent[]) {
    // Mapped before the transaction: a malformed event fails fast, before anything is written.
    const signals: { event: ConsumedEvent; signal: Signal | null }[] = events.map((event) => ({
      event,
      signal: signalOf(event),
    }));
    const { fresh } = await this.inbox.onceEach(events, async (manager, freshEvents) => {
      const m = (await ScopedTransaction.apply(manager, RegionScope.allRegions())).manager;
      const ids = new Set(freshEvents.map((e) => e.id));
      const mine = signals.filter((s) => ids.has(s.event.id));
      await this.correlator.ingest(
        m,
        mine.map((s) => s.signal).filter((s): s is Signal => s !== null),
      );
      const statuses = mine
        .filter((s) => s.event.type === EventTypes.MatchStatusChanged)
        .map((s) => s.event.data as recognition.MatchStatusChanged);
      await this.matchStatus.apply(m, statuses);
    });
    if (fresh.length > 0) this.commits.notify();
  }
}

function signalOf(event: ConsumedEvent): Signal | null {
  switch (event.type) {
    case EventTypes.PlateMatched:
      return plateSignal((event.data as recognition.PlateMatched).match);
    case EventTypes.FaceMatched:
      return faceSignal((event.data as recognition.FaceMatched).match);
    case EventTypes.BehaviourAlertRaised:
      return behaviourSignal((event.data as recognition.BehaviourAlertRaised).alert);
    case EventTypes.CameraStatusChanged:
      return cameraStatusSignal(event.data as CameraStatusChanged);
    case EventTypes.MatchStatusChanged: {
      const change = event.data as recognition.MatchStatusChanged;
      if (!change.matchId) throw new NonRetriableEventError('MatchStatusChanged: matchId is missing');
      return null;
    }
    default:
      // Other types on these topics are not incidents' business.
      return null;
  }
}
