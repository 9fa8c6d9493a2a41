import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { incidents, prevention } from '@safecity/contracts';
import { Inbox, Outbox } from '@safecity/messaging';
import { RegionAccess, SERVICE_SCOPE, UseCase, UseCaseHandler } from '@safecity/security';
import { distanceMetres } from '@safecity/service-kit';
import type { EntityManager } from 'typeorm';
import { CaseAudit } from '../../../cases/case-audit';
import { caseChangedEvent, ChangeKind, triggerFiredEvent } from '../../../cases/case-events';
import { CasesRepository, type CaseRow } from '../../../cases/cases.repository';
import { CATEGORY_MESSAGE, type CaseStatus } from '../../../domain/vocabulary';
import { PREVENTION_POLICIES as P } from '../../../prevention.policies';
import { factsOf, type PlaceNames } from '../../incident-facts';
import { IncidentsRepository, type IncidentFacts } from '../../incidents.repository';
import { firstFullWindow } from '../../repeat-window';
import {
  DEFAULT_REPEAT_RULE,
  RULE_INCIDENT_AT_CASE,
  RULE_REPEAT_AT_ADDRESS,
  SAME_PLACE_METRES,
  SERVICE_ACTOR,
} from '../../trigger-rules';
import type { ApplyIncidentChanges } from './apply-incident-changes.command';

const DISMISSED = incidents.IncidentState.INCIDENT_STATE_DISMISSED;

/**
 * Reacts to incidents: one at the address or place of an open case's subject joins the case's
 * timeline and flags a review; repeated ones at an address with no case suggest one to a
 * prevention officer. It never opens a case: only an officer's decision does.
 */
@Injectable()
export class ApplyIncidentChangesUseCase extends UseCaseHandler<ApplyIncidentChanges, void> {
  private readonly logger = new Logger('IncidentTriggers');

  constructor(
    private readonly inbox: Inbox,
    private readonly outbox: Outbox,
    private readonly access: RegionAccess,
    private readonly incidents: IncidentsRepository,
    private readonly cases: CasesRepository,
    private readonly audit: CaseAudit,
  ) {
    super();
  }

  /** Applies `safecity.incidents.v1` events, each exactly once. */
  @UseCase(P.applyIncidentChanges)
  async execute({ events }: ApplyIncidentChanges): Promise<void> {
    const facts = events.map((event) => ({ event, facts: factsOf(event) }));
    await this.inbox.onceEach(events, async (tx, fresh) => {
      const m = await this.access.enter(SERVICE_SCOPE);
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
    await this.audit.incidentLinkedByRule(m, SERVICE_ACTOR, row, incident.id, RULE_INCIDENT_AT_CASE);
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
