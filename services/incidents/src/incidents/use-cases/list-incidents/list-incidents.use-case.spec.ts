import { OperationRefusedException } from '@safecity/security';
import { ForbiddenError } from '@safecity/service-kit';
import {
  aFaceMatchIncident,
  anOpenTheft,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { ListIncidentsUseCase } from './list-incidents.use-case';

describe('ListIncidentsUseCase', () => {
  let h: UseCaseHarness;
  let since: Date;
  beforeAll(async () => {
    h = await startUseCaseHarness('uclistinc');
    since = new Date(Date.now() - 1);
    const operator = h.person('operator');
    for (const title of ['one', 'two', 'three']) await anOpenTheft(h, operator, title);
    await anOpenTheft(h, h.person('operator', ['AST']), 'far', 'AST');
  });
  afterAll(() => h.close());

  const list = (actor = h.person('operator'), after?: { createdAt: string; id: string }) =>
    h.get(ListIncidentsUseCase).execute({
      actor,
      filter: { createdFrom: since },
      limit: 2,
      after,
      purpose: 'incident handling',
    });

  it('pages through the caller’s regions, newest first', async () => {
    const first = await list();
    expect(first.incidents.map((i) => i.title)).toEqual(['three', 'two']);
    expect(first.next).not.toBeNull();
    const second = await list(undefined, first.next!);
    expect(second.incidents.map((i) => i.title)).toEqual(['one']);
    expect(second.next).toBeNull();
  });

  it('audits the face-match incidents on a page, in the one transaction of the page', async () => {
    const face = await aFaceMatchIncident(h);
    const reader = h.person('supervisor', ['ALA'], 'sup-lists');
    const page = await h.get(ListIncidentsUseCase).execute({
      actor: reader,
      filter: {},
      limit: 50,
      purpose: 'shift review',
    });
    expect(page.incidents.map((i) => i.id)).toContain(face);
    const audit = await h.query(
      `SELECT object_id AS "id", purpose FROM audit_log WHERE actor_subject = 'sup-lists'`,
    );
    expect(audit).toEqual([{ id: face, purpose: 'shift review' }]);
  });

  it('refuses a region the caller must hold but does not; narrows to nothing otherwise', async () => {
    const astana = { createdFrom: since, regionCode: 'AST' };
    const command = { actor: h.person('operator'), filter: astana, limit: 10, purpose: 'x' };
    await expect(
      h.get(ListIncidentsUseCase).execute({ ...command, regionMustBeHeld: true }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect((await h.get(ListIncidentsUseCase).execute(command)).incidents).toEqual([]);
  });

  it('is refused to roles that read no incidents', async () => {
    await expect(list(h.person('prevention-officer'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
