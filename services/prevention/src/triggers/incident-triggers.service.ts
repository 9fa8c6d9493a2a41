import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { incidents, prevention } from '@safecity/contracts';
import { Inbox, NonRetriableEventError, Outbox, type ConsumedEvent } from '@safecity/messaging';
import { AuditLog, type AuditActor, isWellFormedRegionCode } from '@safecity/security';
import type { EntityManager } from 'typeorm';
import { RegionAccess, SERVICE_SCOPE } from '../access/region-access';
import { caseChangedEvent, ChangeKind, triggerFiredEvent } from '../cases/case-events';
import { CasesRepository, type CaseRow } from '../cases/cases.repository';
import { CASE_OBJECT } from '../cases/cases.service';
import { distanceMetres } from '@safecity/service-kit';
import { addressKey } from '../domain/address';
import { CATEGORY_MESSAGE, type CaseStatus } from '../domain/vocabulary';
import { IncidentsRepository, type IncidentFacts } from './incidents.repository';
import { firstFullWindow } from './repeat-window';

export const RULE_INCIDENT_AT_CASE = 'incident-at-case-subject';
export const RULE_REPEAT_AT_ADDRESS = 'repeat-incidents-at-address';

/** A place subject within this distance of an incident is "at" it. */
const SAME_PLACE_METRES = 50;

export interface RepeatRule {
  windowDays: number;
  threshold: number;
}

export const DEFAULT_REPEAT_RULE: RepeatRule = { windowDays: 90, threshold: 3 };

export const SERVICE_ACTOR: AuditActor = {
  subject: 'service:prevention',
  kind: 'service',
  roles: ['service'],
};

const DISMISSED = incidents.IncidentState.INCIDENT_STATE_DISMISSED;

/**
 * Reacts to incidents: one at the address or place of an open case's subject joins the case's
 * timeline and flags a review; repeated ones at an address with no case suggest one to a
 * prevention officer. It never opens a case: only an officer's decision does.
 */
@Injectable()
export class IncidentTriggersService {
  private readonly logger = new Logger('IncidentTriggers');

  constructor(
    private readonly inbox: Inbox,
    private readonly outbox: Outbox,
    private readonly access: RegionAccess,
    private readonly incidents: IncidentsRepository,
    private readonly cases: CasesRepository,
    private readonly auditLog: AuditLog,
  ) {}

  /** Applies `safecity.incidents.v1` events, each exactly once. */
  async apply(events: ConsumedEvent<incidents.IncidentChanged>[]): Promise<void> {
    const facts = events.map((event) => ({ event, facts: factsOf(event) }));
    await this.inbox.onceEach(events, async (tx, fresh) => {
      const m = await this.access.enter(tx, SERVICE_SCOPE);
      const batch = fresh.map(
        (event) => facts.find((f) => f.event === event)?.facts as IncidentFacts & PlaceNames,
      );
      await this.incidents.lockAddresses(
        m,
        batch.flatMap((i) => (i.addressKey && i.confirmed ? [`${i.regionCode}:${i.addressKey}`] : [])),
      );
      for (const incident of batch) await this.applyOne(m, incident);
    });
  }

  /**
   * Keeps the incident's place and time; once a person stands behind it (verified, opened by an
   * operator or reported by a citizen), links it to the cases at its place. An unverified
   * machine match is kept but acts on no case: its later version, verified, links it then.
   */
  private async applyOne(m: EntityManager, incident: IncidentFacts & PlaceNames): Promise<void> {
    if (!(await this.incidents.upsert(m, incident))) return;
    if (incident.state === DISMISSED || !incident.confirmed) return;
    const keys = incident.addressKeys;
    const point =
      incident.lat !== null && incident.lon !== null ? { lat: incident.lat, lon: incident.lon } : null;
    const candidates = await this.incidents.casesAtPlace(m, incident.regionCode, keys, point);
    const atPlace = candidates.filter(
      (c) =>
        (c.subjectAddressKey !== null && keys.includes(c.subjectAddressKey)) ||
        (point !== null &&
          c.lat !== null &&
          c.lon !== null &&
          distanceMetres(point, { lat: c.lat, lon: c.lon }) <= SAME_PLACE_METRES),
    );
    for (const c of atPlace) await this.linkToCase(m, c.id, incident);
    if (incident.addressKey && !atPlace.some((c) => c.subjectAddressKey === incident.addressKey)) {
      await this.checkRepeats(m, incident, incident.addressKey, incident.address);
    }
  }

  private async linkToCase(m: EntityManager, caseId: string, incident: IncidentFacts): Promise<void> {
    if (!(await this.incidents.link(m, caseId, incident))) return;
    const before = (await this.cases.findCase(m, caseId, SERVICE_SCOPE)) as CaseRow;
    await this.cases.addTimeline(m, before, {
      kind: 'incident',
      actor: SERVICE_ACTOR.subject,
      incidentId: incident.id,
      details: { occurredAt: incident.occurredAt.toISOString(), category: incident.category },
    });
    await this.incidents.flagReview(m, caseId, `incident ${incident.id} at the case's subject`);
    const row = (await this.cases.findCase(m, caseId, SERVICE_SCOPE)) as CaseRow;
    const details = await this.cases.details(m, row);
    const trigger = prevention.PreventionTrigger.fromPartial({
      id: randomUUID(),
      ruleId: RULE_INCIDENT_AT_CASE,
      regionCode: row.regionCode,
      incidentIds: [incident.id],
      caseId: row.id,
      suggestedCategory: CATEGORY_MESSAGE[row.category],
      firedAt: new Date(),
    });
    await this.outbox.add(m, [
      triggerFiredEvent(trigger),
      caseChangedEvent(
        ChangeKind.PREVENTION_CASE_CHANGE_KIND_UPDATED,
        details,
        SERVICE_ACTOR,
        before.status as CaseStatus,
      ),
    ]);
    await this.auditLog.record(m, {
      actor: SERVICE_ACTOR,
      action: 'update',
      objectType: CASE_OBJECT,
      objectId: row.id,
      regionCode: row.regionCode,
      purpose: 'linking an incident to a prevention case',
      legalBasis: row.legalBasis,
      details: { incidentId: incident.id, rule: RULE_INCIDENT_AT_CASE },
    });
  }

  /** Repeated incidents at an address no case covers: a suggestion for an officer, never a case. */
  private async checkRepeats(m: EntityManager, incident: IncidentFacts, key: string, address: string | null) {
    const rule = (await this.incidents.settings(m, incident.regionCode)) ?? DEFAULT_REPEAT_RULE;
    const pending = await this.incidents.pendingSuggestion(m, incident.regionCode, key);
    if (pending) {
      await this.incidents.addToSuggestion(m, pending.id, incident.id);
      return;
    }
    const windowMs = rule.windowDays * 86_400_000;
    const windowStart = new Date(incident.occurredAt.getTime() - windowMs);
    // After an officer dismissed a suggestion here, only later incidents count towards a new one.
    const dismissed = await this.incidents.lastDismissal(m, incident.regionCode, key);
    const from = dismissed && dismissed > windowStart ? dismissed : windowStart;
    // Up to a window after it too: an incident verified late may complete a run of later ones.
    const nearby = await this.incidents.incidentsAtAddress(
      m,
      incident.regionCode,
      key,
      from,
      new Date(incident.occurredAt.getTime() + windowMs),
      DISMISSED,
    );
    const recent = firstFullWindow(nearby, incident.occurredAt, windowMs, rule.threshold);
    if (!recent) return;
    const suggestion = await this.incidents.insertSuggestion(m, {
      regionCode: incident.regionCode,
      districtCode: incident.districtCode,
      ruleId: RULE_REPEAT_AT_ADDRESS,
      address,
      addressKey: key,
      incidentIds: recent.map((r) => r.id),
    });
    const domestic = recent.filter(
      (r) => r.category === incidents.IncidentCategory.INCIDENT_CATEGORY_DOMESTIC,
    ).length;
    const trigger = prevention.PreventionTrigger.fromPartial({
      id: suggestion.id,
      ruleId: RULE_REPEAT_AT_ADDRESS,
      regionCode: incident.regionCode,
      incidentIds: suggestion.incidentIds,
      caseId: '',
      suggestedCategory:
        domestic * 2 > recent.length
          ? prevention.PreventionCategory.PREVENTION_CATEGORY_DOMESTIC_VIOLENCE
          : prevention.PreventionCategory.PREVENTION_CATEGORY_PUBLIC_ORDER_HOTSPOT,
      // Risk is assessed by a professional, never by the rule.
      suggestedRiskLevel: prevention.RiskLevel.RISK_LEVEL_UNSPECIFIED,
      firedAt: suggestion.firedAt,
    });
    await this.outbox.add(m, triggerFiredEvent(trigger));
    this.logger.log({
      msg: 'repeat incidents at an address: case suggested',
      suggestionId: suggestion.id,
      count: recent.length,
    });
  }
}

/** The addresses an incident event names: the incident's own, then its sources' (citizen reports). */
interface PlaceNames {
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

/** Validates an incident event; a malformed one is dead-lettered, never retried. */
export function factsOf(event: ConsumedEvent<incidents.IncidentChanged>): IncidentFacts & PlaceNames {
  const i = event.data.incident;
  const fail = (reason: string) => new NonRetriableEventError(`incident event ${event.id}: ${reason}`);
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
