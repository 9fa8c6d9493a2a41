import { EventTypes, recognition } from '@safecity/contracts';
import { CeHeader } from '@safecity/messaging';
import { OperationRefusedException } from '@safecity/security';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from '@safecity/service-kit';
import { eventually } from '@safecity/testing';
import {
  aRaisedMatch,
  auditOf,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { VerifyMatchUseCase } from './verify-match.use-case';

describe('VerifyMatchUseCase', () => {
  let h: UseCaseHarness;
  beforeAll(async () => (h = await startUseCaseHarness('ucvermt')));
  afterAll(() => h.close());

  const verify = (
    actor: ReturnType<UseCaseHarness['person']>,
    matchId: string,
    extra: Record<string, unknown> = {},
  ) => h.get(VerifyMatchUseCase).execute({ actor, matchId, verdict: 'confirmed', ...extra });

  it('confirms a face match only after two different people, announcing and auditing each step', async () => {
    const id = await aRaisedMatch(h, 'face');
    const first = h.person('operator');
    expect(await verify(first, id)).toEqual({
      status: 'partially-confirmed',
      confirmations: 1,
      requiredConfirmations: 2,
    });
    const again = verify(first, id);
    await expect(again).rejects.toBeInstanceOf(ConflictError);
    await expect(again).rejects.toMatchObject({ problems: [{ field: 'actor' }] });
    expect(await verify(h.person('supervisor'), id, { purpose: 'incident 7' })).toMatchObject({
      status: 'confirmed',
      confirmations: 2,
    });
    const changes = await eventually(() => {
      const found = h.published.filter(
        (r) => r.key === id && r.headers[CeHeader.Type] === EventTypes.MatchStatusChanged,
      );
      return found.length === 2 ? found : undefined;
    });
    expect(changes.map((r) => recognition.MatchStatusChanged.decode(r.value).status)).toEqual([
      recognition.MatchStatus.MATCH_STATUS_PARTIALLY_CONFIRMED,
      recognition.MatchStatus.MATCH_STATUS_CONFIRMED,
    ]);
    expect((await auditOf(h, id)).slice(1).map((a) => [a.action, a.purpose, a.details.to])).toEqual([
      ['update', 'match verification', 'partially-confirmed'],
      ['update', 'incident 7', 'confirmed'],
    ]);
    await expect(verify(h.person('operator'), id)).rejects.toMatchObject({
      problems: [{ field: 'matchId' }],
    });
  });

  it('confirms a plate match only when the plate and the vehicle were both checked', async () => {
    const id = await aRaisedMatch(h, 'plate');
    const unchecked = verify(h.person('operator'), id, { plateChecked: true });
    await expect(unchecked).rejects.toBeInstanceOf(InvalidError);
    await expect(unchecked).rejects.toMatchObject({ problems: [{ field: 'vehicleChecked' }] });
    expect(
      await verify(h.person('operator'), id, { plateChecked: true, vehicleChecked: true }),
    ).toMatchObject({ status: 'confirmed', confirmations: 1 });
  });

  it('is for people of the match’s region: services, other regions and administrators are refused', async () => {
    const id = await aRaisedMatch(h, 'face');
    await expect(verify(h.person('operator', ['AST']), id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(verify({ ...h.person('operator'), kind: 'service' }, id)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(verify(h.person('admin', 'all'), id)).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
