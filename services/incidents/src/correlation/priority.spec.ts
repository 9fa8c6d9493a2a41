import { incidents as contract } from '@safecity/contracts';
import { incidentPriority } from './priority';

const P = contract.IncidentPriority;

describe('incident priority', () => {
  it('takes the higher of type and watchlist entry', () => {
    expect(
      incidentPriority({ base: P.INCIDENT_PRIORITY_MEDIUM, watchlistPriority: P.INCIDENT_PRIORITY_HIGH }),
    ).toBe(P.INCIDENT_PRIORITY_HIGH);
    expect(
      incidentPriority({ base: P.INCIDENT_PRIORITY_HIGH, watchlistPriority: P.INCIDENT_PRIORITY_LOW }),
    ).toBe(P.INCIDENT_PRIORITY_HIGH);
  });

  it('lowers a low-confidence detection and raises one at a school or transport hub', () => {
    expect(incidentPriority({ base: P.INCIDENT_PRIORITY_MEDIUM, confidence: 0.4 })).toBe(
      P.INCIDENT_PRIORITY_LOW,
    );
    expect(
      incidentPriority({ base: P.INCIDENT_PRIORITY_MEDIUM, confidence: 0.9, placeTags: ['school'] }),
    ).toBe(P.INCIDENT_PRIORITY_HIGH);
    expect(
      incidentPriority({ base: P.INCIDENT_PRIORITY_MEDIUM, confidence: 0.4, placeTags: ['transport-hub'] }),
    ).toBe(P.INCIDENT_PRIORITY_MEDIUM);
  });

  it('stays within low..critical', () => {
    expect(incidentPriority({ base: P.INCIDENT_PRIORITY_LOW, confidence: 0.1 })).toBe(
      P.INCIDENT_PRIORITY_LOW,
    );
    expect(incidentPriority({ base: P.INCIDENT_PRIORITY_CRITICAL, placeTags: ['school'] })).toBe(
      P.INCIDENT_PRIORITY_CRITICAL,
    );
  });
});
