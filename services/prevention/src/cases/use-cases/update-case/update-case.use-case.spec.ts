import { EventTypes } from '@safecity/contracts';
import { OperationRefusedException } from '@safecity/security';
import { InvalidError, NotFoundError } from '@safecity/service-kit';
import {
  aPersonCase,
  aPlaceCase,
  anOfficer,
  eventTypesOf,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { UpdateCaseUseCase } from './update-case.use-case';

describe('UpdateCaseUseCase', () => {
  let h: UseCaseHarness;

  beforeAll(async () => {
    h = await startUseCaseHarness('ucupdatecase');
  });
  afterAll(() => h.close());

  it('changes the case, keeps the owner agency among its agencies, announces and audits the change', async () => {
    const officer = anOfficer(h);
    const opened = await aPlaceCase(h, officer);
    const updated = await h.get(UpdateCaseUseCase).execute({
      actor: officer,
      id: opened.id,
      changes: { ownerAgency: 'akimat', agencies: ['education'], reviewIntervalDays: 30 },
    });
    expect(updated).toMatchObject({ ownerAgency: 'akimat', reviewIntervalDays: 30, version: 2 });
    expect(updated.agencies.sort()).toEqual(['akimat', 'education']);
    expect(await eventTypesOf(h, opened.id, 2)).toEqual([
      EventTypes.PreventionCaseOpened,
      EventTypes.PreventionCaseUpdated,
    ]);
    const audit = await h.query(
      `SELECT action, details FROM audit_log WHERE object_id = $1 AND action = 'update'`,
      [opened.id],
    );
    expect(audit).toEqual([
      { action: 'update', details: { change: 'PREVENTION_CASE_CHANGE_KIND_UPDATED', version: 2 } },
    ]);
  });

  it('answers a person’s case without them unless a purpose is stated', async () => {
    const officer = anOfficer(h);
    const opened = await aPersonCase(h, officer);
    const quiet = await h
      .get(UpdateCaseUseCase)
      .execute({ actor: officer, id: opened.id, changes: { category: 'juvenile' } });
    expect(quiet.subject).toEqual({ id: opened.subject.id, kind: 'person', erased: false });
    expect(quiet.withheld).toBeDefined();
    const stated = await h.get(UpdateCaseUseCase).execute({
      actor: officer,
      id: opened.id,
      changes: { category: 'juvenile' },
      purpose: 'case conference',
    });
    expect(stated.subject.name).toBe('Айгерим Нурланова');
  });

  it('refuses an empty change, another region’s case and social workers', async () => {
    const officer = anOfficer(h);
    const opened = await aPlaceCase(h, officer);
    await expect(
      h.get(UpdateCaseUseCase).execute({ actor: officer, id: opened.id, changes: {} }),
    ).rejects.toEqual(new InvalidError({ field: 'body', reason: 'nothing to change' }));
    await expect(
      h
        .get(UpdateCaseUseCase)
        .execute({ actor: anOfficer(h, ['AST']), id: opened.id, changes: { category: 'juvenile' } }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      h
        .get(UpdateCaseUseCase)
        .execute({ actor: h.person('social-worker'), id: opened.id, changes: { category: 'juvenile' } }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
