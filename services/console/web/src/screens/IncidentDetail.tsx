import { useEffect, useState, useSyncExternalStore } from 'react';
import type { AppContext } from '../App';
import { call } from '../api';
import { Dialog as DialogShell, ErrorNotice, Loading, useLoad, useNow } from '../components/common';
import { ActionDialog, actionsFor, type ActionKind } from '../components/incident-actions';
import { useI18n } from '../i18n/i18n';
import { navigate } from '../router';
import { incidentLabel, slaOf } from './QueueScreen';

interface Source {
  kind: string;
  refId: string;
  cameraId: string | null;
  watchlistId: string | null;
  watchlistEntryId: string | null;
  location: { lat: number; lon: number } | null;
  observedAt: string | null;
  confidence: number | null;
  media: { kind: number; uri: string; contentType: string }[];
  details: Record<string, unknown>;
}

export interface IncidentFull {
  id: string;
  number: string;
  regionCode: string;
  districtCode: string | null;
  category: string;
  priority: string;
  state: string;
  sourceKind: string;
  title: string;
  description: string;
  location: { lat: number | null; lon: number | null; address: string; cameraId: string | null };
  confidence: number | null;
  verification: { requiredConfirmations: number; visualCheckRequired: boolean };
  resolution: string | null;
  assignment: { operationsCenterId: string | null; unitId: string | null; assigneeId: string | null };
  sla: { verifyDueAt: string | null; dispatchDueAt: string | null; breachedStages: string[] };
  createdAt: string;
  version: number;
  sources: Source[];
  history: {
    from: string;
    to: string;
    actor: string;
    reason: string;
    resolution: string | null;
    at: string;
  }[];
  confirmations: {
    actor: string;
    plate: string | null;
    make: string | null;
    colour: string | null;
    comment: string;
    confirmedAt: string;
  }[];
}

interface PlateMatchView {
  kind: 'plate';
  plate?: { text?: string; vehicle?: { color?: string; make?: string; model?: string; type?: string } };
  candidates?: {
    listedText?: string;
    reason?: string;
    score?: number;
    legalBasisRef?: string;
    matchKind?: string;
    priority?: number;
  }[];
  status?: string;
}
interface FaceMatchView {
  kind: 'face';
  candidates?: { subjectRef?: string; category?: string; score?: number; legalBasisRef?: string }[];
  threshold?: number;
  requiredConfirmations?: number;
  status?: string;
}

interface SopProgress {
  sop: { id: string; version: number } | null;
  steps: {
    id: string;
    title: string;
    done: { by?: string; at?: string; doneBy?: string; doneAt?: string } | null;
  }[];
  deviations: { stepId: string; kind: string; actor: string; at: string }[];
}

const enumName = (value: string | undefined, prefix: string) =>
  value ? value.replace(prefix, '').toLowerCase().replace(/_/g, '-') : undefined;

/** Pictures from recognition's media store go through the console; others are links. */
function mediaUrl(uri: string): string | null {
  if (uri.startsWith('/media/')) return `/api/recognition${uri}`;
  return null;
}

function Evidence({ source, incident }: { source: Source; incident: IncidentFull }) {
  const i18n = useI18n();
  const { t, tv } = i18n;
  const match = useLoad(
    (signal) =>
      source.kind === 'plate-match' || source.kind === 'face-match'
        ? call<PlateMatchView | FaceMatchView>('recognition', `/matches/${source.refId}`, {
            signal,
            purpose: t('purpose.incidentReview'),
          })
        : Promise.resolve(null),
    [source.refId],
  );
  const d = source.details;
  const plateMatch = match.data?.kind === 'plate' ? (match.data as PlateMatchView) : null;
  const faceMatch = match.data?.kind === 'face' ? (match.data as FaceMatchView) : null;
  const best = plateMatch?.candidates?.[0];
  const matchKind = (d['matchKind'] as string | undefined) ?? enumName(best?.matchKind, 'PLATE_MATCH_KIND_');
  return (
    <article className="evidence" data-testid={`evidence-${source.kind}`}>
      <h3>
        {tv('source', source.kind)} · {i18n.dateTime(source.observedAt)}
      </h3>
      <div className="pictures">
        {source.media.map((m, i) => {
          const url = mediaUrl(m.uri);
          return url ? (
            <img
              key={i}
              src={url}
              alt={t('evidence.picture', { n: i + 1, source: tv('source', source.kind) })}
              data-testid="evidence-picture"
            />
          ) : (
            <a key={i} href={m.uri} rel="noreferrer noopener" target="_blank">
              {t('evidence.mediaLink', { n: i + 1 })}
            </a>
          );
        })}
        {source.media.length === 0 && <p className="muted">{t('evidence.noPictures')}</p>}
      </div>
      <dl>
        {source.cameraId && (
          <>
            <dt>{t('evidence.camera')}</dt>
            <dd>
              <a
                href={`/cameras/${source.cameraId}`}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(`/cameras/${source.cameraId}`);
                }}
              >
                {t('evidence.openCamera')}
              </a>
            </dd>
          </>
        )}
        {source.confidence !== null && (
          <>
            <dt>{t('evidence.confidence')}</dt>
            <dd>{i18n.percent(source.confidence)}</dd>
          </>
        )}
        {source.kind === 'plate-match' && (
          <>
            <dt>{t('evidence.readPlate')}</dt>
            <dd className="plate" data-testid="read-plate">
              {String(d['plate'] ?? plateMatch?.plate?.text ?? '—')}
            </dd>
            <dt>{t('evidence.listedPlate')}</dt>
            <dd className="plate">{String(d['listedPlate'] ?? best?.listedText ?? '—')}</dd>
            <dt>{t('evidence.howMatched')}</dt>
            <dd data-testid="match-kind">
              <strong>{tv('matchKind', matchKind)}</strong> —{' '}
              {matchKind ? tv('matchKindHelp', matchKind) : ''}
            </dd>
            <dt>{t('evidence.vehicle')}</dt>
            <dd>
              {[
                plateMatch?.plate?.vehicle?.make,
                plateMatch?.plate?.vehicle?.model,
                plateMatch?.plate?.vehicle?.color,
              ]
                .filter(Boolean)
                .join(' · ') || '—'}
            </dd>
            <dt>{t('evidence.reason')}</dt>
            <dd data-testid="watchlist-reason">
              {best?.reason ? tv('hotlistReason', enumName(best.reason, 'HOTLIST_REASON_')) : '—'}
            </dd>
            <dt>{t('evidence.legalBasis')}</dt>
            <dd data-testid="legal-basis">{String(d['legalBasisRef'] ?? best?.legalBasisRef ?? '—')}</dd>
          </>
        )}
        {source.kind === 'face-match' && (
          <>
            <dt>{t('evidence.subjectRef')}</dt>
            <dd>{String(d['subjectRef'] ?? faceMatch?.candidates?.[0]?.subjectRef ?? '—')}</dd>
            <dt>{t('evidence.similarity')}</dt>
            <dd>
              {faceMatch?.candidates?.[0]?.score !== undefined
                ? i18n.percent(faceMatch.candidates[0].score!)
                : '—'}
              {d['threshold'] !== undefined &&
                ` (${t('evidence.threshold')} ${i18n.percent(Number(d['threshold']))})`}
            </dd>
            <dt>{t('evidence.watchlistCategory')}</dt>
            <dd>
              {tv('watchlistCategory', enumName(faceMatch?.candidates?.[0]?.category, 'WATCHLIST_CATEGORY_'))}
            </dd>
            <dt>{t('evidence.legalBasis')}</dt>
            <dd data-testid="legal-basis">
              {String(d['legalBasisRef'] ?? faceMatch?.candidates?.[0]?.legalBasisRef ?? '—')}
            </dd>
          </>
        )}
        {source.kind === 'behaviour-alert' && (
          <>
            <dt>{t('evidence.behaviour')}</dt>
            <dd>{tv('behaviour', String(d['type'] ?? ''))}</dd>
            <dt>{t('evidence.objects')}</dt>
            <dd>{i18n.number(Number(d['objectCount'] ?? 0))}</dd>
          </>
        )}
        {source.kind === 'citizen-report' && (
          <>
            <dt>{t('evidence.channel')}</dt>
            <dd>{tv('channel', enumName(String(d['channel'] ?? ''), 'CITIZEN_REPORT_CHANNEL_'))}</dd>
            <dt>{t('evidence.address')}</dt>
            <dd className="data">{String(d['address'] ?? incident.location.address ?? '—')}</dd>
            <dt>{t('evidence.text')}</dt>
            <dd className="data">{incident.description || '—'}</dd>
          </>
        )}
        {source.kind === 'camera-status' && (
          <>
            <dt>{t('evidence.cameraStatus')}</dt>
            <dd>{tv('cameraStatus', String(d['status'] ?? ''))}</dd>
          </>
        )}
      </dl>
      <ErrorNotice error={match.error} />
    </article>
  );
}

function SopChecklist({
  incident,
  canAct,
  onChanged,
}: {
  incident: IncidentFull;
  canAct: boolean;
  onChanged(): void;
}) {
  const { t, tv, dateTime } = useI18n();
  const progress = useLoad(
    (signal) => call<SopProgress>('incidents', `/incidents/${incident.id}/sop`, { signal }),
    [incident.id, incident.version],
  );
  const [error, setError] = useState<unknown>(null);
  if (progress.loading && !progress.data) return <Loading />;
  if (progress.error) return <ErrorNotice error={progress.error} />;
  const data = progress.data!;
  if (!data.sop) return <p className="muted">{t('sop.none')}</p>;
  return (
    <div>
      <p className="muted">{t('sop.version', { version: data.sop.version })}</p>
      <ol className="sop">
        {data.steps.map((step) => (
          <li key={step.id} className={step.done ? 'done' : ''}>
            <label className="check">
              <input
                type="checkbox"
                checked={Boolean(step.done)}
                disabled={!canAct || Boolean(step.done)}
                onChange={async () => {
                  setError(null);
                  try {
                    await call('incidents', `/incidents/${incident.id}/sop/steps/${step.id}`, { body: {} });
                    onChanged();
                    progress.reload();
                  } catch (e) {
                    setError(e);
                  }
                }}
              />
              <span className="data">{step.title}</span>
            </label>
          </li>
        ))}
      </ol>
      {data.deviations.length > 0 && (
        <>
          <h3>{t('sop.deviations')}</h3>
          <ul>
            {data.deviations.map((d, i) => (
              <li key={i}>
                {tv('deviation', d.kind)}: <span className="data">{d.stepId}</span> — {d.actor},{' '}
                {dateTime(d.at)}
              </li>
            ))}
          </ul>
        </>
      )}
      <ErrorNotice error={error} />
    </div>
  );
}

export function IncidentDetail({ ctx, id }: { ctx: AppContext; id: string }) {
  const i18n = useI18n();
  const { t, tv } = i18n;
  const now = useNow();
  const incident = useLoad(
    (signal) =>
      call<IncidentFull>('incidents', `/incidents/${id}`, { signal, purpose: t('purpose.incidentReview') }),
    [id],
  );
  const [action, setAction] = useState<ActionKind | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [reassign, setReassign] = useState(false);
  const store = ctx.store;
  const liveVersion = useSyncExternalStore(
    (l) => store?.subscribe(l) ?? (() => undefined),
    () => store?.get(id)?.version ?? 0,
  );
  const { reload } = incident;
  useEffect(() => {
    if (incident.data && liveVersion > incident.data.version) reload();
  }, [liveVersion]);
  useEffect(() => {
    if (incident.data) store?.upsertView(incident.data);
  }, [incident.data, store]);

  if (incident.error && !incident.data) return <ErrorNotice error={incident.error} />;
  if (!incident.data) return <Loading />;
  const data = incident.data;
  const canAct = ctx.has('operator', 'supervisor');
  const me = ctx.session.user.subject;
  const iConfirmed = data.confirmations.some((c) => c.actor === me);
  const sla = slaOf(
    {
      ...data,
      lat: data.location.lat,
      lon: data.location.lon,
      operationsCenterId: null,
      unitId: null,
      verifyDueAt: data.sla.verifyDueAt,
      dispatchDueAt: data.sla.dispatchDueAt,
      breachedStages: data.sla.breachedStages,
    },
    now,
  );
  const timeline = [
    ...data.history.map((h) => ({
      at: h.at,
      text: t('timeline.transition', { from: tv('state', h.from), to: tv('state', h.to), actor: h.actor }),
      reason: h.reason,
    })),
    ...data.confirmations.map((c) => ({
      at: c.confirmedAt,
      text: t('timeline.confirmation', { actor: c.actor }),
      reason: [c.plate, c.make, c.colour].filter(Boolean).join(' · ') || c.comment,
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));

  return (
    <section className="incident">
      <p>
        <a
          href="/queue"
          onClick={(e) => {
            e.preventDefault();
            navigate('/queue');
          }}
        >
          {t('incident.back')}
        </a>
      </p>
      <h1>
        <span className={`badge prio-${data.priority}`}>{tv('priority', data.priority)}</span>{' '}
        {incidentLabel(data, i18n)} <span className="muted">{data.number}</span>
      </h1>
      <dl className="facts">
        <dt>{t('incident.state')}</dt>
        <dd data-testid="incident-state">
          <span className={`state state-${data.state}`}>{tv('state', data.state)}</span>
          {data.resolution && ` (${tv('resolution', data.resolution)})`}
        </dd>
        <dt>{t('incident.place')}</dt>
        <dd>
          {tv('region', data.regionCode)}
          {data.location.address && <span className="data"> · {data.location.address}</span>}{' '}
          {data.location.lat !== null && (
            <a
              href={`/map?incident=${data.id}`}
              onClick={(e) => {
                e.preventDefault();
                navigate(`/map?incident=${data.id}`);
              }}
            >
              {t('incident.showOnMap')}
            </a>
          )}
        </dd>
        <dt>{t('incident.created')}</dt>
        <dd>{i18n.dateTime(data.createdAt)}</dd>
        <dt>{t('incident.sla')}</dt>
        <dd className={`sla-${sla?.level ?? 'none'}`}>
          {sla
            ? sla.left > 0
              ? t('incident.slaLeft', { time: i18n.duration(sla.left) })
              : t('incident.slaOver', { time: i18n.duration(-sla.left) })
            : '—'}
        </dd>
        <dt>{t('incident.verification')}</dt>
        <dd data-testid="verification">
          {data.verification.visualCheckRequired && <span>{t('incident.visualCheckRequired')} </span>}
          {t('incident.confirmations', {
            n: data.confirmations.length,
            of: data.verification.requiredConfirmations,
          })}
          {data.confirmations.length > 0 && (
            <span data-testid="confirmed-by">
              {' '}
              — {t('incident.confirmedBy', { who: data.confirmations.map((c) => c.actor).join(', ') })}
            </span>
          )}
          {iConfirmed && data.state === 'new' && <strong> {t('incident.youConfirmed')}</strong>}
        </dd>
      </dl>
      {canAct && (
        <div className="actions" role="group" aria-label={t('incident.actions')}>
          {actionsFor(data.state).map((a) => (
            <button
              key={a}
              type="button"
              className={a === 'dismiss' ? 'danger' : 'primary'}
              onClick={() => setAction(a)}
              data-action={a}
            >
              {t(`action.${a}`)}
            </button>
          ))}
          {ctx.has('supervisor') && (
            <button type="button" onClick={() => setReassign(true)}>
              {t('reassign.button')}
            </button>
          )}
        </div>
      )}
      {notice && (
        <p role="status" className="notice ok" data-testid="action-notice">
          {notice}
        </p>
      )}
      <div className="columns">
        <div>
          <h2>{t('incident.evidence')}</h2>
          {data.sources.map((source) => (
            <Evidence key={`${source.kind}:${source.refId}`} source={source} incident={data} />
          ))}
        </div>
        <div>
          <h2>{t('incident.sop')}</h2>
          <SopChecklist incident={data} canAct={canAct} onChanged={reload} />
          <h2>{t('incident.timeline')}</h2>
          <ol className="timeline" data-testid="timeline">
            {timeline.map((entry, i) => (
              <li key={i}>
                <time dateTime={entry.at}>{i18n.dateTime(entry.at)}</time> {entry.text}
                {entry.reason && <span className="data"> — {entry.reason}</span>}
              </li>
            ))}
          </ol>
        </div>
      </div>
      {action && (
        <ActionDialog
          incident={{ ...data, lat: data.location.lat, lon: data.location.lon }}
          action={action}
          onClose={() => setAction(null)}
          onDone={(outcome) => {
            setAction(null);
            setNotice(
              outcome.verification
                ? t('verify.recorded', {
                    n: outcome.verification.confirmations,
                    of: outcome.verification.required,
                  })
                : t('action.done', { state: tv('state', outcome.incident.state) }),
            );
            reload();
          }}
        />
      )}
      {reassign && (
        <ReassignDialog
          incident={data}
          onClose={() => setReassign(false)}
          onDone={() => {
            setReassign(false);
            reload();
          }}
        />
      )}
    </section>
  );
}

export function ReassignDialog(props: {
  incident: { id: string; regionCode: string; version: number };
  onClose(): void;
  onDone(): void;
}) {
  const { t } = useI18n();
  const [assigneeId, setAssignee] = useState('');
  const [center, setCenter] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const centers = useLoad(
    (signal) =>
      call<{ id: string; name: string }[]>(
        'camera-registry',
        `/operations-centers?regionCode=${props.incident.regionCode}`,
        { signal },
      ),
    [],
  );
  return (
    <DialogShell title={t('reassign.title')} onClose={props.onClose}>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setError(null);
          try {
            await call('incidents', `/incidents/${props.incident.id}/assignment`, {
              body: {
                assigneeId: assigneeId || undefined,
                operationsCenterId: center || undefined,
                reason,
                expectedVersion: props.incident.version,
              },
            });
            props.onDone();
          } catch (err) {
            setError(err);
          }
        }}
      >
        <label>
          {t('reassign.operator')}
          <input value={assigneeId} onChange={(e) => setAssignee(e.target.value)} autoComplete="off" />
        </label>
        <label>
          {t('reassign.center')}
          <select value={center} onChange={(e) => setCenter(e.target.value)}>
            <option value="">{t('reassign.keepCenter')}</option>
            {(centers.data ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('action.reasonRequired')}
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={2} />
        </label>
        <ErrorNotice error={error} />
        <div className="buttons">
          <button type="submit" className="primary">
            {t('reassign.submit')}
          </button>
          <button type="button" onClick={props.onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </DialogShell>
  );
}
