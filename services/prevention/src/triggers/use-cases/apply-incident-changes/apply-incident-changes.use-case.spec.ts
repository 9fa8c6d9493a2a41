import { EventTypes, prevention } from '@safecity/contracts';
import { CeHeader } from '@safecity/messaging';
import { OperationRefusedException } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import { eventually } from '@safecity/testing';
import { PUBLIC_ORDER } from '../../../../test/incidents';
import {
  aPlaceCase,
  anOfficer,
  eventTypesOf,
  incidentEvent,
  INCIDENT_FEED,
  repeatedIncidentsAt,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { ApplyIncidentChangesUseCase } from './apply-incident-changes.use-case';

describe('ApplyIncidentChangesUseCase', () => {
  let h: UseCaseHarness;
  const apply = (events: ReturnType<typeof incidentEvent>[], actor = INCIDENT_FEED) =>
    h.get(ApplyIncidentChangesUseCase).execute({ actor, events });

  beforeAll(async () => {
    h = await startUseCaseHarness('ucapplyincidents');
  });
  afterAll(() => h.close());

  it('links an incident at a case’s place once, flags a review, fires the trigger and audits the link', async () => {
    const opened = await aPlaceCase(h, anOfficer(h));
    const event = incidentEvent({ category: PUBLIC_ORDER, address: 'мкр Самал-2, 58' });
    await apply([event]);
    await apply([event]); // redelivered: nothing changes
    const [row] = await h.query(
      `SELECT review_flag_reason AS reason, (SELECT count(*)::int FROM case_incidents WHERE case_id = $1) AS links
       FROM cases WHERE id = $1`,
      [opened.id],
    );
    expect(row).toEqual({ reason: `incident ${event.incidentId} at the case's subject`, links: 1 });
    expect(await eventTypesOf(h, opened.id, 2)).toEqual([
      EventTypes.PreventionCaseOpened,
      EventTypes.PreventionCaseUpdated,
    ]);
    const fired = await eventually(() =>
      h.published.find((r) => r.headers[CeHeader.Type] === EventTypes.PreventionTriggerFired),
    );
    expect(prevention.PreventionTriggerFired.decode(fired.value).trigger).toMatchObject({
      ruleId: 'incident-at-case-subject',
      caseId: opened.id,
      incidentIds: [event.incidentId],
    });
    expect(
      await h.query(
        `SELECT actor_subject, purpose, details FROM audit_log WHERE object_id = $1 AND action = 'update'`,
        [opened.id],
      ),
    ).toEqual([
      {
        actor_subject: 'service:prevention',
        purpose: 'linking an incident to a prevention case',
        details: { incidentId: event.incidentId, rule: 'incident-at-case-subject' },
      },
    ]);
    // Prevention keeps the incident's place and time, never what was said about anyone.
    expect(
      JSON.stringify(await h.query(`SELECT * FROM incidents WHERE id = $1`, [event.incidentId])),
    ).not.toContain('Serik');
  });

  it('suggests a case for repeated incidents at an address no case covers, never opening one', async () => {
    const [, , third] = await repeatedIncidentsAt(h, 'ул. Толе би, 40');
    const [suggestion] = await h.query<{ status: string; incident_ids: string[] }>(
      `SELECT status, incident_ids FROM suggestions WHERE address = 'ул. Толе би, 40'`,
    );
    expect(suggestion).toMatchObject({ status: 'pending' });
    expect(suggestion.incident_ids).toContain(third);
    expect(await h.query(`SELECT count(*)::int AS n FROM cases WHERE suggestion_id IS NOT NULL`)).toEqual([
      { n: 0 },
    ]);
  });

  it('refuses a malformed event as invalid data (dead-lettered), and callers other than the platform', async () => {
    const event = incidentEvent({});
    event.data.incident!.regionCode = 'nowhere';
    const refusal = apply([event]);
    await expect(refusal).rejects.toBeInstanceOf(InvalidError);
    await expect(refusal).rejects.toMatchObject({
      message: `incident event ${event.id}: no valid region code`,
    });
    await expect(apply([incidentEvent({})], anOfficer(h))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
