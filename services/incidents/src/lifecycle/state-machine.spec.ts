import { incidents as contract } from '@safecity/contracts';
import { allowedTransitions, checkTransition, verificationStep } from './state-machine';

const S = contract.IncidentState;
const R = contract.Resolution;

describe('incident lifecycle', () => {
  it('follows new -> verified -> dispatched -> on scene -> resolved -> closed', () => {
    const path = [
      S.INCIDENT_STATE_NEW,
      S.INCIDENT_STATE_VERIFIED,
      S.INCIDENT_STATE_DISPATCHED,
      S.INCIDENT_STATE_ON_SCENE,
      S.INCIDENT_STATE_RESOLVED,
      S.INCIDENT_STATE_CLOSED,
    ];
    for (let i = 1; i < path.length; i++) {
      const check = checkTransition({
        from: path[i - 1],
        to: path[i],
        reason: '',
        resolution: path[i] === S.INCIDENT_STATE_RESOLVED ? R.RESOLUTION_HANDLED_ON_SCENE : 0,
      });
      expect(check.ok).toBe(true);
    }
  });

  it('refuses a skipped step and names the allowed ones', () => {
    const check = checkTransition({
      from: S.INCIDENT_STATE_NEW,
      to: S.INCIDENT_STATE_DISPATCHED,
      reason: '',
      resolution: 0,
    });
    expect(check).toEqual({
      ok: false,
      kind: 'illegal',
      allowed: [S.INCIDENT_STATE_VERIFIED, S.INCIDENT_STATE_DISMISSED],
    });
  });

  it('keeps dismissed and closed incidents final', () => {
    expect(allowedTransitions(S.INCIDENT_STATE_DISMISSED)).toEqual([]);
    expect(allowedTransitions(S.INCIDENT_STATE_CLOSED)).toEqual([]);
  });

  it('needs a reason to dismiss and defaults the resolution to a false alarm', () => {
    expect(
      checkTransition({
        from: S.INCIDENT_STATE_NEW,
        to: S.INCIDENT_STATE_DISMISSED,
        reason: ' ',
        resolution: 0,
      }),
    ).toMatchObject({ ok: false, field: 'reason' });
    expect(
      checkTransition({
        from: S.INCIDENT_STATE_NEW,
        to: S.INCIDENT_STATE_DISMISSED,
        reason: 'wrong plate read',
        resolution: 0,
      }),
    ).toEqual({ ok: true, resolution: R.RESOLUTION_FALSE_ALARM, reopening: false });
    expect(
      checkTransition({
        from: S.INCIDENT_STATE_NEW,
        to: S.INCIDENT_STATE_DISMISSED,
        reason: 'x',
        resolution: R.RESOLUTION_HANDLED_ON_SCENE,
      }),
    ).toMatchObject({ ok: false, field: 'resolution' });
  });

  it('needs a reason to reopen, and reopening clears the resolution', () => {
    expect(
      checkTransition({
        from: S.INCIDENT_STATE_RESOLVED,
        to: S.INCIDENT_STATE_VERIFIED,
        reason: '',
        resolution: 0,
      }),
    ).toMatchObject({ ok: false, field: 'reason' });
    expect(
      checkTransition({
        from: S.INCIDENT_STATE_RESOLVED,
        to: S.INCIDENT_STATE_VERIFIED,
        reason: 'suspect came back',
        resolution: 0,
      }),
    ).toEqual({ ok: true, resolution: R.RESOLUTION_UNSPECIFIED, reopening: true });
  });

  it('needs a resolution to resolve', () => {
    expect(
      checkTransition({
        from: S.INCIDENT_STATE_ON_SCENE,
        to: S.INCIDENT_STATE_RESOLVED,
        reason: '',
        resolution: 0,
      }),
    ).toMatchObject({ ok: false, field: 'resolution' });
  });
});

describe('verification', () => {
  const face = { requiredConfirmations: 2, visualCheckRequired: false };
  const plate = { requiredConfirmations: 1, visualCheckRequired: true };

  it('verifies a face match only after two different people confirm', () => {
    expect(verificationStep(face, [], 'op-1', undefined)).toEqual({
      kind: 'confirmation-recorded',
      confirmations: 1,
      required: 2,
    });
    expect(verificationStep(face, ['op-1'], 'op-1', undefined)).toEqual({
      kind: 'already-confirmed',
      confirmations: 1,
      required: 2,
    });
    expect(verificationStep(face, ['op-1'], 'op-2', undefined)).toEqual({
      kind: 'verified',
      confirmations: 2,
    });
  });

  it('verifies a plate hit only with plate, make and colour recorded', () => {
    expect(verificationStep(plate, [], 'op-1', { plate: '123ABC02', make: '' })).toEqual({
      kind: 'visual-check-missing',
      missing: ['make', 'colour'],
    });
    expect(
      verificationStep(plate, [], 'op-1', { plate: '123ABC02', make: 'Toyota', colour: 'white' }),
    ).toEqual({ kind: 'verified', confirmations: 1 });
  });
});
