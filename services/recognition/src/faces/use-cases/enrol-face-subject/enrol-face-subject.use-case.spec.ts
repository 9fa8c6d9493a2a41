import { OperationRefusedException } from '@safecity/security';
import { InvalidError, NotFoundError } from '@safecity/service-kit';
import {
  aFaceSubject,
  anAlmatyWatchlist,
  aTemplate,
  auditOf,
  inAWeek,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { EnrolFaceSubjectUseCase } from './enrol-face-subject.use-case';

describe('EnrolFaceSubjectUseCase', () => {
  let h: UseCaseHarness;
  let listId: string;
  beforeAll(async () => {
    h = await startUseCaseHarness('ucenrfc');
    listId = (await anAlmatyWatchlist(h, h.person('supervisor'), 'face')).id;
  });
  afterAll(() => h.close());

  it('enrols the subject with its templates sealed, shows only their model and size, and audits it', async () => {
    const keeper = h.person('supervisor');
    const entry = await aFaceSubject(h, keeper, listId, 1);
    expect(entry).toMatchObject({ watchlistId: listId, subjectRef: 'case-1', regions: ['ALA'] });
    expect(entry.templates).toEqual([expect.objectContaining({ model: 'test-faces@1', dimensions: 16 })]);
    expect(JSON.stringify(entry)).not.toContain('vector');
    const [stored] = await h.query<{ sealed: Buffer }>(
      `SELECT sealed FROM face_templates WHERE entry_id = $1`,
      [entry.id],
    );
    expect(
      stored.sealed.includes(Buffer.from(Float32Array.from(aTemplate(1).vector).buffer).subarray(0, 16)),
    ).toBe(false);
    expect(await auditOf(h, entry.id)).toEqual([
      expect.objectContaining({
        action: 'create',
        actor_subject: keeper.subject,
        details: { watchlistId: listId, templates: 1 },
      }),
    ]);
  });

  it('refuses an all-zero template by its position, a plate list, and other roles', async () => {
    const enrol = (actor = h.person('supervisor'), watchlistId = listId) =>
      h.get(EnrolFaceSubjectUseCase).execute({
        actor,
        watchlistId,
        subject: {
          subjectRef: 'x',
          legalBasis: 'Court order',
          owner: 'x',
          expiresAt: inAWeek(),
          templates: [aTemplate(2), { model: 'test-faces@1', vector: new Array(16).fill(0) }],
        },
      });
    const zero = enrol();
    await expect(zero).rejects.toBeInstanceOf(InvalidError);
    await expect(zero).rejects.toMatchObject({
      problems: [{ field: 'templates.1.vector', reason: 'must not be all zero' }],
    });
    const plateList = (await anAlmatyWatchlist(h, h.person('supervisor'), 'plate')).id;
    await expect(
      h.get(EnrolFaceSubjectUseCase).execute({
        actor: h.person('supervisor'),
        watchlistId: plateList,
        subject: {
          subjectRef: 'x',
          legalBasis: 'Court order',
          owner: 'x',
          expiresAt: inAWeek(),
          templates: [aTemplate(3)],
        },
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(enrol(h.person('operator'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
