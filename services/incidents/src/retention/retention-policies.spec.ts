import { incidentsRetentionPolicies } from './retention-policies';

describe('incidentsRetentionPolicies', () => {
  it('erases contact data first, then incidents, then the reports they leave behind', () => {
    const policies = incidentsRetentionPolicies();
    expect(policies.map((p) => [p.dataClass, p.table, p.retainFor.days])).toEqual([
      ['citizen-contact-data', 'citizen_report_contacts', 30],
      ['dismissed-incidents', 'incidents', 30],
      ['ended-incidents', 'incidents', 1095],
      ['citizen-reports', 'citizen_reports', 1],
      ['consumed-event-ids', 'inbox', 14],
      ['incident-change-feed', 'incident_changes', 7],
    ]);
    expect(policies.find((p) => p.dataClass === 'dismissed-incidents')?.where).toBe('state = 3');
    expect(policies.find((p) => p.dataClass === 'ended-incidents')?.where).toBe('state IN (6, 7)');
  });

  it('takes other periods, and refuses periods that contradict each other', () => {
    expect(
      incidentsRetentionPolicies({
        dismissedIncidentDays: 60,
        endedIncidentDays: 365,
        citizenContactDays: 10,
      })
        .filter((p) => p.table !== 'inbox' && p.table !== 'incident_changes')
        .map((p) => p.retainFor.days),
    ).toEqual([10, 60, 365, 1]);
    expect(() => incidentsRetentionPolicies({ citizenContactDays: 60 })).toThrow(/contact data/);
    expect(() => incidentsRetentionPolicies({ dismissedIncidentDays: 7 })).toThrow(/at least 14 days/);
    expect(() => incidentsRetentionPolicies({ endedIncidentDays: 20 })).toThrow(/at least as long/);
    expect(() => incidentsRetentionPolicies({ citizenContactDays: 0 })).toThrow(/positive/);
  });
});
