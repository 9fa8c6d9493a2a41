import { incidents as contract } from '@safecity/contracts';
import { checkReassignment } from './reassignment';

const S = contract.IncidentState;
const CENTER_A = '00000000-0000-4000-8000-00000000000a';
const CENTER_B = '00000000-0000-4000-8000-00000000000b';
const current = { assigneeId: 'op-1', operationsCenterId: CENTER_A };

describe('reassignment of an incident', () => {
  it('hands an open incident to another operator, keeping its center', () => {
    expect(
      checkReassignment(
        S.INCIDENT_STATE_VERIFIED,
        current,
        { assigneeId: 'op-2', reason: 'shift change' },
        [],
      ),
    ).toEqual({
      ok: true,
      next: { assigneeId: 'op-2', operationsCenterId: CENTER_A },
    });
  });

  it('moves it to another center of its region; "" leaves the operator unassigned', () => {
    expect(
      checkReassignment(
        S.INCIDENT_STATE_NEW,
        current,
        { assigneeId: '', operationsCenterId: CENTER_B, reason: 'closer center' },
        [CENTER_A, CENTER_B],
      ),
    ).toEqual({ ok: true, next: { assigneeId: null, operationsCenterId: CENTER_B } });
  });

  it('refuses a center outside the region, an empty request, no reason and no change', () => {
    const refused = (request: Parameters<typeof checkReassignment>[2]) =>
      checkReassignment(S.INCIDENT_STATE_NEW, current, request, [CENTER_A]);
    expect(refused({ operationsCenterId: CENTER_B, reason: 'x' })).toMatchObject({
      ok: false,
      field: 'operationsCenterId',
    });
    expect(refused({ reason: 'x' })).toMatchObject({ ok: false, field: 'assigneeId' });
    expect(refused({ assigneeId: 'op-2', reason: '  ' })).toMatchObject({ ok: false, field: 'reason' });
    expect(refused({ assigneeId: 'op-1', reason: 'x' })).toMatchObject({ ok: false, kind: 'unprocessable' });
  });

  it('leaves finished incidents alone', () => {
    for (const state of [S.INCIDENT_STATE_RESOLVED, S.INCIDENT_STATE_DISMISSED, S.INCIDENT_STATE_CLOSED]) {
      expect(checkReassignment(state, current, { assigneeId: 'op-2', reason: 'x' }, [])).toMatchObject({
        ok: false,
        kind: 'conflict',
        field: 'state',
      });
    }
  });
});
