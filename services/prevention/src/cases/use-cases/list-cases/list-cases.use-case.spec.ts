import { OperationRefusedException } from '@safecity/security';
import { ForbiddenError } from '@safecity/service-kit';
import {
  aPersonCase,
  aPlaceCase,
  anOfficer,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { ListCasesUseCase } from './list-cases.use-case';

describe('ListCasesUseCase', () => {
  let h: UseCaseHarness;
  const ids: string[] = [];

  beforeAll(async () => {
    h = await startUseCaseHarness('uclistcases');
    const officer = anOfficer(h);
    ids.push(
      (await aPersonCase(h, officer)).id,
      (await aPlaceCase(h, officer)).id,
      (await aPlaceCase(h, officer)).id,
    );
    await aPlaceCase(h, anOfficer(h, ['AST']), { regionCode: 'AST', districtCode: undefined });
  });
  afterAll(() => h.close());

  it('pages through the caller’s regions newest first, writing nothing to the audit log', async () => {
    const list = h.get(ListCasesUseCase);
    const actor = h.person('social-worker');
    const first = await list.execute({ actor, filter: {}, limit: 2 });
    expect(first.items.map((i) => i.row.id)).toEqual([ids[2], ids[1]]);
    expect(first.items.every((i) => i.details === undefined)).toBe(true);
    const second = await list.execute({ actor, filter: {}, limit: 2, cursor: first.nextCursor as string });
    expect(second.items.map((i) => i.row.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();
    const people = await list.execute({ actor, filter: { subjectKind: 'person' } });
    expect(people.items.map((i) => i.row.subjectKind)).toEqual(['person']);
    expect(
      await h.query(`SELECT count(*)::int AS n FROM audit_log WHERE actor_subject = $1`, [actor.subject]),
    ).toEqual([{ n: 0 }]);
  });

  it('discloses the cases of one region to a service, every case read recorded with the purpose', async () => {
    const service = h.person('service', 'all');
    const page = await h.get(ListCasesUseCase).execute({
      actor: service,
      filter: { regionCode: 'ALA' },
      disclosedFor: 'weekly planning',
    });
    expect(page.items).toHaveLength(3);
    expect(page.items.every((i) => i.details?.row.id === i.row.id)).toBe(true);
    const audit = await h.query<{ object_id: string }>(
      `SELECT object_id FROM audit_log WHERE actor_subject = $1 AND purpose = 'weekly planning'`,
      [service.subject],
    );
    expect(audit.map((a) => a.object_id).sort()).toEqual([...ids].sort());
  });

  it('refuses a disclosure of a region outside the caller’s, and analysts altogether', async () => {
    const refusal = h.get(ListCasesUseCase).execute({
      actor: anOfficer(h, ['AST']),
      filter: { regionCode: 'ALA' },
      disclosedFor: 'weekly planning',
    });
    await expect(refusal).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      h.get(ListCasesUseCase).execute({ actor: h.person('analyst'), filter: {} }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
