import { OperationRefusedException } from '@safecity/security';
import { InvalidError, NotFoundError } from '@safecity/service-kit';
import {
  aPersonCase,
  aPlaceCase,
  anOfficer,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { GetCaseUseCase } from './get-case.use-case';

describe('GetCaseUseCase', () => {
  let h: UseCaseHarness;
  let personCaseId: string;
  let subjectId: string;
  let placeCaseId: string;
  const get = (
    command: Omit<Parameters<GetCaseUseCase['execute']>[0], 'actor'>,
    actor = h.person('social-worker'),
  ) => h.get(GetCaseUseCase).execute({ actor, ...command });

  beforeAll(async () => {
    h = await startUseCaseHarness('ucgetcase');
    const opened = await aPersonCase(h, anOfficer(h));
    personCaseId = opened.id;
    subjectId = opened.subject.id;
    placeCaseId = (await aPlaceCase(h, anOfficer(h))).id;
  });
  afterAll(() => h.close());

  it('shows a person’s case only with a purpose, and records the read of the subject with it', async () => {
    const refusal = get({ id: personCaseId, disclosure: 'subject' });
    await expect(refusal).rejects.toBeInstanceOf(InvalidError);
    await expect(refusal).rejects.toMatchObject({ malformed: true, problems: [{ field: 'x-purpose' }] });
    const worker = h.person('social-worker');
    const read = await get(
      { id: personCaseId, disclosure: 'subject', purpose: 'preparing a home visit' },
      worker,
    );
    expect(read.subjectShown).toBe(true);
    expect(read.details.subject.name).toBe('Айгерим Нурланова');
    const audit = await h.query(`SELECT action, purpose, details FROM audit_log WHERE actor_subject = $1`, [
      worker.subject,
    ]);
    expect(audit).toEqual([
      { action: 'read', purpose: 'preparing a home visit', details: { caseId: personCaseId } },
    ]);
    expect(audit).toHaveLength(1);
    expect(subjectId).toBeDefined();
  });

  it('shows a place without a purpose', async () => {
    const read = await get({ id: placeCaseId, disclosure: 'subject' });
    expect(read).toMatchObject({
      subjectShown: false,
      details: { subject: { kind: 'place', address: 'мкр Самал-2, 58' } },
    });
  });

  it('discloses a case to another service by reference, each read recorded with its required purpose', async () => {
    const service = h.person('service', 'all');
    await expect(get({ id: personCaseId, disclosure: 'reference' }, service)).rejects.toBeInstanceOf(
      InvalidError,
    );
    const read = await get({ id: personCaseId, disclosure: 'reference', purpose: 'incident card' }, service);
    expect(read.subjectShown).toBe(false);
    const audit = await h.query(
      `SELECT object_type, object_id, purpose, details FROM audit_log WHERE actor_subject = $1`,
      [service.subject],
    );
    expect(audit).toEqual([
      {
        object_type: 'prevention-case',
        object_id: personCaseId,
        purpose: 'incident card',
        details: { via: 'grpc' },
      },
    ]);
  });

  it('answers another region’s case like a missing one, and is refused to analysts', async () => {
    const astana = h.person('prevention-officer', ['AST']);
    await expect(get({ id: placeCaseId, disclosure: 'subject' }, astana)).rejects.toEqual(
      new NotFoundError(`case ${placeCaseId} not found`),
    );
    await expect(get({ id: placeCaseId, disclosure: 'subject' }, h.person('analyst'))).rejects.toBeInstanceOf(
      OperationRefusedException,
    );
  });
});
