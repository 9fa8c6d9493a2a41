import type { EventPayloads, EventTypes } from '@safecity/contracts';
import type { ConsumedEvent } from '@safecity/messaging';
import type { Command } from '@safecity/security';

/** The event types of the matches, alerts and camera-status topics that concern incidents. */
export type SourceEventType =
  | typeof EventTypes.PlateMatched
  | typeof EventTypes.FaceMatched
  | typeof EventTypes.BehaviourAlertRaised
  | typeof EventTypes.CameraStatusChanged
  | typeof EventTypes.MatchStatusChanged;

/** An event as the transport decoded it by its `ce_type`: its type and its message agree. */
export type SourceEvent = {
  [K in SourceEventType]: Omit<ConsumedEvent<EventPayloads[K]>, 'type'> & { type: K };
}[SourceEventType];

export interface CorrelateSourceEvents extends Command {
  /** What one fetch brought, from every partition of the topic; other types are not incidents'. */
  events: ConsumedEvent[];
}
