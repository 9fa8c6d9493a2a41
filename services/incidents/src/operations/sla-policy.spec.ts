import { incidents as contract } from '@safecity/contracts';
import { DEFAULT_SLA_POLICY, parseSlaPolicy, slaDeadlines } from './sla-policy';

const P = contract.IncidentPriority;
const C = contract.IncidentCategory;

describe('SLA policy', () => {
  const at = new Date('2026-01-01T10:00:00Z');

  it('gives tighter deadlines to higher priorities', () => {
    const critical = slaDeadlines(
      DEFAULT_SLA_POLICY,
      P.INCIDENT_PRIORITY_CRITICAL,
      at,
      C.INCIDENT_CATEGORY_FIRE,
    );
    const low = slaDeadlines(DEFAULT_SLA_POLICY, P.INCIDENT_PRIORITY_LOW, at, C.INCIDENT_CATEGORY_THEFT);
    expect(critical.verifyDueAt.toISOString()).toBe('2026-01-01T10:01:00.000Z');
    expect(critical.dispatchDueAt!.toISOString()).toBe('2026-01-01T10:03:00.000Z');
    expect(low.verifyDueAt.getTime()).toBeGreaterThan(critical.verifyDueAt.getTime());
  });

  it('sets no dispatch deadline for technical incidents', () => {
    expect(
      slaDeadlines(DEFAULT_SLA_POLICY, P.INCIDENT_PRIORITY_LOW, at, C.INCIDENT_CATEGORY_INFRASTRUCTURE)
        .dispatchDueAt,
    ).toBeNull();
  });

  it('takes overrides by priority name and refuses nonsense', () => {
    expect(parseSlaPolicy('{"high":{"verifyMinutes":1}}')[P.INCIDENT_PRIORITY_HIGH]).toEqual({
      verifyMinutes: 1,
      dispatchMinutes: 5,
    });
    expect(() => parseSlaPolicy('{"urgent":{"verifyMinutes":1}}')).toThrow(/unknown priority/);
    expect(() => parseSlaPolicy('{"low":{"verifyMinutes":10,"dispatchMinutes":5}}')).toThrow(/dispatch/);
  });
});
