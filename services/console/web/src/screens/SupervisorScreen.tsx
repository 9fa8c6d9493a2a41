import { useState } from 'react';
import type { AppContext } from '../App';
import { call } from '../api';
import { ErrorNotice, Loading, useLoad } from '../components/common';
import { useI18n } from '../i18n/i18n';
import { navigate } from '../router';
import { incidentLabel } from './QueueScreen';
import { ReassignDialog } from './IncidentDetail';

interface Overview {
  slaBreaches: {
    id: string;
    number: string;
    category: string;
    sourceKind: string;
    title: string;
    priority: string;
    state: string;
    regionCode: string;
    version: number;
    sla: { breachedStages: string[] };
  }[];
  escalations: {
    incidentId: string;
    number: string;
    stage: string;
    priority: string;
    regionCode: string;
    dueAt: string;
    breachedAt: string;
  }[];
  sopDeviations: { incidentId?: string; stepId?: string; kind?: string; actor?: string; at?: string }[];
}
interface Unit {
  id: string;
  callSign: string;
  kind: string;
  status: string;
  regionCode: string;
  currentIncidentId: string | null;
}
interface Sop {
  category: string;
  version: number;
  steps: { id: string; title: string }[];
}

const SOP_CATEGORIES = [
  'wanted-vehicle',
  'wanted-person',
  'violence',
  'public-order',
  'fire',
  'medical',
  'infrastructure',
];

export function SupervisorScreen({ ctx }: { ctx: AppContext }) {
  const i18n = useI18n();
  const { t, tv } = i18n;
  const overview = useLoad((signal) => call<Overview>('incidents', '/supervisor/overview', { signal }), []);
  const units = useLoad((signal) => call<Unit[]>('incidents', '/units', { signal }), []);
  const sops = useLoad(
    (signal) =>
      Promise.all(
        SOP_CATEGORIES.map((c) => call<Sop>('incidents', `/sops/${c}`, { signal }).catch(() => null)),
      ).then((list) => list.filter((s): s is Sop => s !== null)),
    [],
  );
  const [reassign, setReassign] = useState<Overview['slaBreaches'][number] | null>(null);
  return (
    <section>
      <h1>{t('supervisor.title')}</h1>
      <div className="columns">
        <div>
          <h2>{t('supervisor.breaches')}</h2>
          {overview.loading && !overview.data && <Loading />}
          <table>
            <thead>
              <tr>
                <th scope="col">{t('queue.col.what')}</th>
                <th scope="col">{t('queue.col.priority')}</th>
                <th scope="col">{t('queue.col.state')}</th>
                <th scope="col">{t('supervisor.stages')}</th>
                <th scope="col">{t('supervisor.action')}</th>
              </tr>
            </thead>
            <tbody>
              {(overview.data?.slaBreaches ?? []).map((b) => (
                <tr key={b.id}>
                  <td>
                    <a
                      href={`/incidents/${b.id}`}
                      onClick={(e) => {
                        e.preventDefault();
                        navigate(`/incidents/${b.id}`);
                      }}
                    >
                      {incidentLabel(b, i18n)} {b.number}
                    </a>
                  </td>
                  <td>{tv('priority', b.priority)}</td>
                  <td>{tv('state', b.state)}</td>
                  <td>{b.sla.breachedStages.map((s) => tv('slaStage', s)).join(', ')}</td>
                  <td>
                    {ctx.has('supervisor') && (
                      <button type="button" onClick={() => setReassign(b)}>
                        {t('reassign.button')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {overview.data && overview.data.slaBreaches.length === 0 && (
            <p className="muted">{t('supervisor.noBreaches')}</p>
          )}
          <h2>{t('supervisor.escalations')}</h2>
          <ul>
            {(overview.data?.escalations ?? []).slice(0, 50).map((e, i) => (
              <li key={i}>
                {e.number}: {tv('slaStage', e.stage)}, {tv('priority', e.priority)} —{' '}
                {t('supervisor.breachedAt', { at: i18n.dateTime(e.breachedAt) })}
              </li>
            ))}
          </ul>
          <h2>{t('supervisor.deviations')}</h2>
          <ul>
            {(overview.data?.sopDeviations ?? []).slice(0, 50).map((d, i) => (
              <li key={i}>
                {tv('deviation', d.kind)}: <span className="data">{d.stepId}</span> {d.actor}{' '}
                {i18n.dateTime(d.at)}
              </li>
            ))}
          </ul>
          <ErrorNotice error={overview.error} />
        </div>
        <div>
          <h2>{t('supervisor.units')}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('unit.callSign')}</th>
                <th scope="col">{t('unit.kind')}</th>
                <th scope="col">{t('unit.status')}</th>
                <th scope="col">{t('unit.incident')}</th>
              </tr>
            </thead>
            <tbody>
              {(units.data ?? []).map((u) => (
                <tr key={u.id} data-unit-status={u.status}>
                  <td>{u.callSign}</td>
                  <td>{tv('unitKind', u.kind)}</td>
                  <td>{tv('unitStatus', u.status)}</td>
                  <td>
                    {u.currentIncidentId ? (
                      <a
                        href={`/incidents/${u.currentIncidentId}`}
                        onClick={(e) => {
                          e.preventDefault();
                          navigate(`/incidents/${u.currentIncidentId}`);
                        }}
                      >
                        {t('unit.openIncident')}
                      </a>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <ErrorNotice error={units.error} />
          <h2>{t('supervisor.sops')}</h2>
          {(sops.data ?? []).map((sop) => (
            <details key={sop.category}>
              <summary>
                {tv('category', sop.category)} — {t('sop.version', { version: sop.version })}
              </summary>
              <ol>
                {sop.steps.map((s) => (
                  <li key={s.id} className="data">
                    {s.title}
                  </li>
                ))}
              </ol>
            </details>
          ))}
        </div>
      </div>
      {reassign && (
        <ReassignDialog
          incident={reassign}
          onClose={() => setReassign(null)}
          onDone={() => {
            setReassign(null);
            overview.reload();
          }}
        />
      )}
    </section>
  );
}
