import { OperationRefusedException } from '@safecity/security';
import { InvalidError, NotFoundError } from '@safecity/service-kit';
import {
  aPersonCase,
  aPlaceCase,
  anOfficer,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { ReadCaseTimelineUseCase } from './read-case-timeline.use-case';

describe('ReadCaseTimelineUseCase', () => {
  let h: UseCaseHarness;

  beforeAll(async () => {
    h = await startUseCaseHarness('uctimeline');
  });
  afterAll(() => h.close());

  it('gives a person’s timeline only with a purpose, recorded as a read of the timeline', async () => {
    const opened = await aPersonCase(h, anOfficer(h));
    const worker = h.person('social-worker');
    const timeline = h.get(ReadCaseTimelineUseCase);
    await expect(timeline.execute({ actor: worker, id: opened.id })).rejects.toBeInstanceOf(InvalidError);
    const entries = await timeline.execute({ actor: worker, id: opened.id, purpose: 'подготовка к визиту' });
    expect(entries.map((e) => e.kind)).toEqual(['opened']);
    expect(
      await h.query(`SELECT purpose, details FROM audit_log WHERE actor_subject = $1`, [worker.subject]),
    ).toEqual([{ purpose: 'подготовка к визиту', details: { caseId: opened.id, part: 'timeline' } }]);
  });

  it('gives a place’s timeline without one; another region’s is not found; analysts are refused', async () => {
    const place = await aPlaceCase(h, anOfficer(h));
    expect(await h.get(ReadCaseTimelineUseCase).execute({ actor: anOfficer(h), id: place.id })).toHaveLength(
      1,
    );
    await expect(
      h.get(ReadCaseTimelineUseCase).execute({ actor: anOfficer(h, ['AST']), id: place.id }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      h.get(ReadCaseTimelineUseCase).execute({ actor: h.person('analyst'), id: place.id }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
