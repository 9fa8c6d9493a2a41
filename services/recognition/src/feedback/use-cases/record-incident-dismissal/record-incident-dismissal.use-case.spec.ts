import { incidents } from '@safecity/contracts';
import { NonRetriableEventError } from '@safecity/messaging';
import { OperationRefusedException } from '@safecity/security';
import {
  aFalseAlarm,
  aRaisedMatch,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { RecordIncidentDismissalUseCase } from './record-incident-dismissal.use-case';

describe('RecordIncidentDismissalUseCase', () => {
  let h: UseCaseHarness;
  const bus = () => h.person('service', 'all');
  beforeAll(async () => (h = await startUseCaseHarness('ucrecfp')));
  afterAll(() => h.close());

  it('counts a false alarm against the match that opened it, once however often it is delivered', async () => {
    const matchId = await aRaisedMatch(h, 'plate');
    const event = aFalseAlarm({ kind: 'plate', matchId });
    expect(await h.get(RecordIncidentDismissalUseCase).execute({ actor: bus(), change: event })).toBe(1);
    expect(await h.get(RecordIncidentDismissalUseCase).execute({ actor: bus(), change: event })).toBe(0);
    expect(
      await h.query(`SELECT source_kind, region_code FROM false_positives WHERE source_id = $1`, [matchId]),
    ).toEqual([{ source_kind: 'plate', region_code: 'ALA' }]);
  });

  it('ignores other changes and sources it never raised; refuses an incident without id and non-services', async () => {
    const other = aFalseAlarm({ kind: 'face', matchId: await aRaisedMatch(h, 'plate') });
    expect(await h.get(RecordIncidentDismissalUseCase).execute({ actor: bus(), change: other })).toBe(0);
    const resolved = aFalseAlarm({ kind: 'plate', matchId: await aRaisedMatch(h, 'plate') });
    resolved.data.incident!.resolution = incidents.Resolution.RESOLUTION_DUPLICATE;
    expect(await h.get(RecordIncidentDismissalUseCase).execute({ actor: bus(), change: resolved })).toBe(0);
    const anonymous = aFalseAlarm({ kind: 'plate', matchId: await aRaisedMatch(h, 'plate') });
    anonymous.data.incident!.id = '';
    await expect(
      h.get(RecordIncidentDismissalUseCase).execute({ actor: bus(), change: anonymous }),
    ).rejects.toBeInstanceOf(NonRetriableEventError);
    await expect(
      h.get(RecordIncidentDismissalUseCase).execute({ actor: h.person('operator'), change: other }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
