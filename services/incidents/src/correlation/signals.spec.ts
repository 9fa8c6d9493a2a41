import { incidents as contract, recognition } from '@safecity/contracts';
import { NonRetriableEventError } from '@safecity/messaging';
import { behaviourSignal, plateSignal, plateWatchlistPriority } from './signals';

const P = contract.IncidentPriority;
const Reason = recognition.HotlistReason;

const candidate = (over: Partial<recognition.PlateMatchCandidate>) =>
  recognition.PlateMatchCandidate.fromPartial({
    hotlistId: 'hotlist-1',
    entryId: 'entry-1',
    listedText: '123ABC02',
    score: 0.95,
    ...over,
  });

const match = (candidates: recognition.PlateMatchCandidate[]) =>
  recognition.PlateMatch.fromPartial({
    id: 'match-1',
    cameraId: 'camera-1',
    regionCode: 'ALA',
    observedAt: new Date('2026-11-25T10:00:00Z'),
    plate: { text: '123 ABC 02', country: 'KZ', confidence: 0.95 },
    candidates,
  });

describe('plate match signals', () => {
  it('takes the priority recognition gives the hotlist entry over what its reason is usually worth', () => {
    const signal = plateSignal(
      match([candidate({ reason: Reason.HOTLIST_REASON_OTHER, priority: P.INCIDENT_PRIORITY_CRITICAL })]),
    );
    expect(signal.watchlistPriority).toBe(P.INCIDENT_PRIORITY_CRITICAL);
    expect(
      plateWatchlistPriority([
        candidate({ reason: Reason.HOTLIST_REASON_WANTED_PERSON, priority: P.INCIDENT_PRIORITY_LOW }),
      ]),
    ).toBe(P.INCIDENT_PRIORITY_LOW);
  });

  it('falls back to the hotlist reason for an entry without a priority', () => {
    expect(plateWatchlistPriority([candidate({ reason: Reason.HOTLIST_REASON_STOLEN_VEHICLE })])).toBe(
      P.INCIDENT_PRIORITY_MEDIUM,
    );
    expect(plateWatchlistPriority([candidate({ reason: Reason.HOTLIST_REASON_UNSPECIFIED })])).toBeNull();
  });

  it('is as urgent as the most urgent of several hotlist entries', () => {
    expect(
      plateWatchlistPriority([
        candidate({ reason: Reason.HOTLIST_REASON_OTHER, priority: P.INCIDENT_PRIORITY_LOW }),
        candidate({ reason: Reason.HOTLIST_REASON_OTHER, priority: P.INCIDENT_PRIORITY_HIGH }),
        candidate({ reason: Reason.HOTLIST_REASON_STOLEN_VEHICLE }),
      ]),
    ).toBe(P.INCIDENT_PRIORITY_HIGH);
  });

  it('refuses a priority outside 1..4 as a malformed event', () => {
    expect(() => plateSignal(match([candidate({ priority: 5 })]))).toThrow(NonRetriableEventError);
  });

  it('keeps how the reading matched the listed plate and the entry priority on the source', () => {
    const signal = plateSignal(
      match([
        candidate({
          matchKind: recognition.PlateMatchKind.PLATE_MATCH_KIND_ONE_EDIT,
          priority: P.INCIDENT_PRIORITY_HIGH,
        }),
      ]),
    );
    expect(signal.source.details).toMatchObject({
      matchKind: 'one-edit',
      entryPriority: 3,
      plate: '123ABC02',
    });
  });
});

describe('behaviour alert signals', () => {
  it('treats an object removed from a watched area as a possible theft', () => {
    const signal = behaviourSignal(
      recognition.BehaviourAlert.fromPartial({
        id: 'alert-1',
        type: recognition.BehaviourType.BEHAVIOUR_TYPE_OBJECT_REMOVED,
        regionCode: 'ALA',
        observedAt: new Date(),
        confidence: 0.9,
      }),
    );
    expect(signal.category).toBe(contract.IncidentCategory.INCIDENT_CATEGORY_THEFT);
    expect(signal.title).toBe('Behaviour alert: object removed');
  });
});
