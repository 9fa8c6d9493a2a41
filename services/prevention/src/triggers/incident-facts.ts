import { incidents } from '@safecity/contracts';
import type { ConsumedEvent } from '@safecity/messaging';
import { isWellFormedRegionCode } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import { addressKey } from '../domain/address';
import type { IncidentFacts } from './incidents.repository';

/** The addresses an incident event names: the incident's own, then its sources' (citizen reports). */
export interface PlaceNames {
  /** The address in words that `addressKey` stands for, as the event gave it. */
  address: string | null;
  /** Keys of every address named, the incident's own first. */
  addressKeys: string[];
}

const S = incidents.IncidentState;
/** States an incident reaches only through a person's verification. */
const VERIFIED_STATES: readonly number[] = [
  S.INCIDENT_STATE_VERIFIED,
  S.INCIDENT_STATE_DISPATCHED,
  S.INCIDENT_STATE_ON_SCENE,
  S.INCIDENT_STATE_RESOLVED,
  S.INCIDENT_STATE_CLOSED,
];
/** Sources that are a person's own account: a citizen's report, an operator's incident. */
const PERSON_SOURCES: readonly number[] = [
  incidents.IncidentSourceKind.INCIDENT_SOURCE_KIND_CITIZEN_REPORT,
  incidents.IncidentSourceKind.INCIDENT_SOURCE_KIND_OPERATOR,
];

/**
 * Validates an incident event. A malformed one is refused as invalid data, which the event
 * transport dead-letters, never retries.
 */
export function factsOf(event: ConsumedEvent<incidents.IncidentChanged>): IncidentFacts & PlaceNames {
  const i = event.data.incident;
  const fail = (reason: string) =>
    new InvalidError({ field: 'incident', reason }, { message: `incident event ${event.id}: ${reason}` });
  if (!i?.id) throw fail('no incident');
  if (event.key && event.key !== i.id) throw fail(`key ${event.key} does not match incident ${i.id}`);
  if (!isWellFormedRegionCode(i.regionCode)) throw fail('no valid region code');
  const occurredAt = i.occurredAt ?? i.createdAt;
  if (!occurredAt || Number.isNaN(occurredAt.getTime())) throw fail('no occurrence time');
  const point = i.location?.point;
  const validPoint =
    point &&
    Number.isFinite(point.lat) &&
    Number.isFinite(point.lon) &&
    Math.abs(point.lat) <= 90 &&
    Math.abs(point.lon) <= 180 &&
    !(point.lat === 0 && point.lon === 0);
  const named: { address: string; key: string }[] = [];
  for (const address of [i.location?.address, ...(i.sources ?? []).map((source) => source.address)]) {
    const key = addressKey(address);
    if (key !== null && !named.some((n) => n.key === key)) named.push({ address: address!, key });
  }
  return {
    id: i.id,
    regionCode: i.regionCode,
    districtCode: i.districtCode || null,
    category: i.category,
    state: i.state,
    occurredAt,
    lat: validPoint ? point.lat : null,
    lon: validPoint ? point.lon : null,
    addressKey: named[0]?.key ?? null,
    address: named[0]?.address ?? null,
    addressKeys: named.map((n) => n.key),
    version: i.version,
    confirmed:
      VERIFIED_STATES.includes(i.state) ||
      (i.sources ?? []).some((source) => PERSON_SOURCES.includes(source.kind)),
  };
}
