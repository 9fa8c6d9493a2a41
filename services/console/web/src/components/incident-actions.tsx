import { useState } from 'react';
import { call, type ApiError } from '../api';
import { useI18n } from '../i18n/i18n';
import { Dialog, ErrorNotice, useLoad } from './common';

export interface TransitionTarget {
  id: string;
  regionCode: string;
  state: string;
  sourceKind: string;
  version: number;
  lat?: number | null;
  lon?: number | null;
}

export interface TransitionOutcome {
  incident: { version: number; state: string };
  verification?: { confirmations: number; required: number };
}

export type ActionKind = 'verify' | 'dispatch' | 'dismiss' | 'on-scene' | 'resolve' | 'close' | 'reopen';

const TARGET_STATE: Record<ActionKind, string> = {
  verify: 'verified',
  dispatch: 'dispatched',
  dismiss: 'dismissed',
  'on-scene': 'on-scene',
  resolve: 'resolved',
  close: 'closed',
  reopen: 'verified',
};

export function transition(id: string, body: Record<string, unknown>) {
  return call<TransitionOutcome>('incidents', `/incidents/${id}/transitions`, { body });
}

/**
 * The dialog of one action on an incident: what the step needs (the visual check of a plate hit,
 * the unit, the reason, the resolution) and the service's answer — a refusal shown in words.
 */
export function ActionDialog(props: {
  incident: TransitionTarget;
  action: ActionKind;
  onClose(): void;
  onDone(outcome: TransitionOutcome): void;
}) {
  const { t, tv } = useI18n();
  const { incident, action } = props;
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [plate, setPlate] = useState('');
  const [make, setMake] = useState('');
  const [colour, setColour] = useState('');
  const [reason, setReason] = useState('');
  const [resolution, setResolution] = useState(action === 'dismiss' ? 'false-alarm' : 'handled-on-scene');
  const [unitId, setUnitId] = useState('');
  const plateHit = incident.sourceKind === 'plate-match';
  const units = useLoad(
    (signal) =>
      action === 'dispatch'
        ? call<{ id: string; callSign: string; kind: string; status: string; distanceM?: number }[]>(
            'incidents',
            `/units?regionCode=${incident.regionCode}&status=available${
              incident.lat != null && incident.lon != null ? `&lat=${incident.lat}&lon=${incident.lon}` : ''
            }`,
            { signal },
          )
        : Promise.resolve([]),
    [action, incident.id],
  );

  const submit = async () => {
    setBusy(true);
    setError(null);
    const body: Record<string, unknown> = { to: TARGET_STATE[action], expectedVersion: incident.version };
    if (action === 'verify' && plateHit) body['visualCheck'] = { plate, make, colour };
    if (action === 'dispatch') body['unitId'] = unitId || undefined;
    if (reason) body['reason'] = reason;
    if (action === 'dismiss' || action === 'resolve') body['resolution'] = resolution;
    try {
      props.onDone(await transition(incident.id, body));
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t(`action.${action}.title`)} onClose={props.onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {action === 'verify' && plateHit && (
          <fieldset>
            <legend>{t('verify.visualCheck')}</legend>
            <p className="muted">{t('verify.visualCheckHelp')}</p>
            <label>
              {t('verify.plate')}
              <input
                name="plate"
                value={plate}
                onChange={(e) => setPlate(e.target.value.toUpperCase())}
                autoComplete="off"
              />
            </label>
            <label>
              {t('verify.make')}
              <input name="make" value={make} onChange={(e) => setMake(e.target.value)} autoComplete="off" />
            </label>
            <label>
              {t('verify.colour')}
              <input
                name="colour"
                value={colour}
                onChange={(e) => setColour(e.target.value)}
                autoComplete="off"
              />
            </label>
          </fieldset>
        )}
        {action === 'verify' && incident.sourceKind === 'face-match' && <p>{t('verify.faceHelp')}</p>}
        {action === 'dispatch' && (
          <label>
            {t('dispatch.unit')}
            <select name="unit" value={unitId} onChange={(e) => setUnitId(e.target.value)}>
              <option value="">{t('dispatch.pickUnit')}</option>
              {(units.data ?? []).map((unit) => (
                <option key={unit.id} value={unit.id}>
                  {unit.callSign} — {tv('unitKind', unit.kind)}
                </option>
              ))}
            </select>
          </label>
        )}
        {action === 'dispatch' && units.data && units.data.length === 0 && <p>{t('dispatch.noUnits')}</p>}
        {(action === 'dismiss' || action === 'resolve') && (
          <label>
            {t('resolution.label')}
            <select name="resolution" value={resolution} onChange={(e) => setResolution(e.target.value)}>
              {(action === 'dismiss'
                ? ['false-alarm', 'duplicate', 'no-action-needed']
                : ['handled-on-scene', 'handed-over', 'no-action-needed']
              ).map((r) => (
                <option key={r} value={r}>
                  {tv('resolution', r)}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {action === 'dismiss' || action === 'reopen' ? t('action.reasonRequired') : t('action.comment')}
          <textarea name="reason" value={reason} onChange={(e) => setReason(e.target.value)} rows={2} />
        </label>
        <ErrorNotice error={error} />
        <div className="buttons">
          <button type="submit" className="primary" disabled={busy}>
            {t(`action.${action}`)}
          </button>
          <button type="button" onClick={props.onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The actions the incident's state allows (the service still has the last word). */
export function actionsFor(state: string): ActionKind[] {
  switch (state) {
    case 'new':
      return ['verify', 'dismiss'];
    case 'verified':
      return ['dispatch', 'resolve', 'dismiss'];
    case 'dispatched':
      return ['on-scene'];
    case 'on-scene':
      return ['resolve'];
    case 'resolved':
      return ['close', 'reopen'];
    default:
      return [];
  }
}
