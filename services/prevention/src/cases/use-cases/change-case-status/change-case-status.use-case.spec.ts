import { EventTypes, prevention } from '@safecity/contracts';
import { OperationRefusedException } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import { eventually } from '@safecity/testing';
import {
  aPlaceCase,
  anOfficer,
  eventTypesOf,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { AssessRiskUseCase } from '../assess-risk/assess-risk.use-case';
import { ChangeCaseStatusUseCase } from './change-case-status.use-case';

describe('ChangeCaseStatusUseCase', () => {
  let h: UseCaseHarness;

  beforeAll(async () => {
    h = await startUseCaseHarness('ucchangestatus');
  });
  afterAll(() => h.close());

  it('activates an assessed case and closes it with its outcome, announcing the previous status', async () => {
    const officer = anOfficer(h);
    const opened = await aPlaceCase(h, officer);
    const change = h.get(ChangeCaseStatusUseCase);
    await expect(
      change.execute({ actor: officer, id: opened.id, change: { status: 'active' } }),
    ).rejects.toMatchObject({
      problems: [{ field: 'status', reason: expect.stringMatching(/risk level/) }],
    });
    await h.get(AssessRiskUseCase).execute({
      actor: officer,
      id: opened.id,
      assessment: { factors: ['school-absence'], riskLevel: 'low' },
    });
    expect(
      (await change.execute({ actor: officer, id: opened.id, change: { status: 'active' } })).status,
    ).toBe('active');
    const closed = await change.execute({
      actor: officer,
      id: opened.id,
      change: { status: 'closed', outcome: 'risk-resolved', note: 'calm for months' },
    });
    expect(closed).toMatchObject({ status: 'closed', outcome: 'risk-resolved', reviewDue: false });
    expect(closed.closedAt).not.toBeNull();
    const types = await eventTypesOf(h, opened.id, 4);
    expect(types.slice(2)).toEqual([
      EventTypes.PreventionCaseStatusChanged,
      EventTypes.PreventionCaseStatusChanged,
    ]);
    const last = await eventually(() => h.published.filter((r) => r.key === opened.id)[3]);
    expect(prevention.PreventionCaseChanged.decode(last.value).previousStatus).toBe(
      prevention.PreventionCaseStatus.PREVENTION_CASE_STATUS_ACTIVE,
    );
    const audit = await h.query<{ details: { change: string } }>(
      `SELECT details FROM audit_log WHERE object_id = $1 AND action = 'update' ORDER BY seq`,
      [opened.id],
    );
    expect(audit.map((a) => a.details.change).slice(-2)).toEqual([
      'PREVENTION_CASE_CHANGE_KIND_STATUS_CHANGED',
      'PREVENTION_CASE_CHANGE_KIND_STATUS_CHANGED',
    ]);
  });

  it('refuses closing without an outcome, a closed case’s reopening, and social workers', async () => {
    const officer = anOfficer(h);
    const opened = await aPlaceCase(h, officer);
    const change = h.get(ChangeCaseStatusUseCase);
    await expect(
      change.execute({ actor: officer, id: opened.id, change: { status: 'closed' } }),
    ).rejects.toEqual(new InvalidError({ field: 'outcome', reason: 'closing a case needs its outcome' }));
    await change.execute({ actor: officer, id: opened.id, change: { status: 'closed', outcome: 'other' } });
    await expect(
      change.execute({ actor: officer, id: opened.id, change: { status: 'active' } }),
    ).rejects.toBeInstanceOf(InvalidError);
    await expect(
      change.execute({ actor: h.person('social-worker'), id: opened.id, change: { status: 'active' } }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
