import { EventTypes, prevention } from '@safecity/contracts';
import { CeHeader } from '@safecity/messaging';
import { OperationRefusedException } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import { eventually } from '@safecity/testing';
import { personCase } from '../../../../test/world';
import {
  aPersonCase,
  anOfficer,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import type { OpenCaseDto } from '../../case.dto';
import { OpenCaseUseCase } from './open-case.use-case';

describe('OpenCaseUseCase', () => {
  let h: UseCaseHarness;

  beforeAll(async () => {
    h = await startUseCaseHarness('ucopencase');
  });
  afterAll(() => h.close());

  it('opens a case about a new person, announces it without their data and audits both writes', async () => {
    const officer = anOfficer(h);
    const opened = await aPersonCase(h, officer);
    expect(opened).toMatchObject({ regionCode: 'ALA', status: 'open', version: 1 });
    expect(opened.number).toMatch(/^ALA-P-\d{4}-\d{6}$/);
    // The caller has just written what the answer shows.
    expect(opened.subject).toMatchObject({ kind: 'person', name: 'Айгерим Нурланова' });
    const record = await eventually(() => h.published.find((r) => r.key === opened.id));
    expect(record.headers[CeHeader.Type]).toBe(EventTypes.PreventionCaseOpened);
    expect(prevention.PreventionCaseChanged.decode(record.value).kind).toBe(
      prevention.PreventionCaseChangeKind.PREVENTION_CASE_CHANGE_KIND_OPENED,
    );
    expect(record.value.toString('utf8')).not.toContain('Айгерим');
    const audit = await h.query(
      `SELECT object_type, action, purpose FROM audit_log WHERE actor_subject = $1 ORDER BY seq`,
      [officer.subject],
    );
    expect(audit).toEqual([
      { object_type: 'prevention-case', action: 'create', purpose: 'prevention case management' },
      { object_type: 'prevention-subject', action: 'create', purpose: 'opening a prevention case' },
    ]);
  });

  it('links a known person by reference only, unless the caller states why it reads them', async () => {
    const officer = anOfficer(h);
    const first = await aPersonCase(h, officer);
    const known = { ...personCase(), subject: undefined, subjectId: first.subject.id } as OpenCaseDto;
    const quiet = await h.get(OpenCaseUseCase).execute({ actor: officer, case: known });
    expect(quiet.subject).toEqual({ id: first.subject.id, kind: 'person', erased: false });
    const stated = await h
      .get(OpenCaseUseCase)
      .execute({ actor: officer, case: known, purpose: 'joint case planning' });
    expect(stated.subject).toMatchObject({ name: 'Айгерим Нурланова' });
    const reads = await h.query(
      `SELECT purpose FROM audit_log WHERE object_type = 'prevention-subject' AND action = 'read' AND object_id = $1`,
      [first.subject.id],
    );
    expect(reads).toEqual([{ purpose: 'joint case planning' }]);
  });

  it('refuses a region outside the caller’s, and both or neither of a new and a known subject', async () => {
    const officer = anOfficer(h);
    const elsewhere = aPersonCase(h, officer, { regionCode: 'AST' });
    await expect(elsewhere).rejects.toBeInstanceOf(InvalidError);
    await expect(elsewhere).rejects.toMatchObject({ problems: [{ field: 'regionCode' }] });
    await expect(aPersonCase(h, officer, { subject: undefined })).rejects.toMatchObject({
      problems: [{ field: 'subject' }],
    });
  });

  it('is refused to social workers, who take part in cases but do not open them', async () => {
    await expect(aPersonCase(h, h.person('social-worker'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
