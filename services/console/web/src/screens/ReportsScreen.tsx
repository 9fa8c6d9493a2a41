import { useMemo, useSyncExternalStore } from 'react';
import type { AppContext } from '../App';
import { useNow } from '../components/common';
import { useI18n } from '../i18n/i18n';
import { navigate } from '../router';

/** Citizen reports as they arrive: the incidents they opened or joined, live. */
export function ReportsScreen({ ctx }: { ctx: AppContext }) {
  const i18n = useI18n();
  const { t, tv } = i18n;
  const store = ctx.store!;
  const rows = useSyncExternalStore((l) => store.subscribe(l), store.snapshot);
  const now = useNow();
  const reports = useMemo(
    () =>
      rows
        .filter((r) => r.sourceKind === 'citizen-report')
        .sort((a, b) => String(b.createdAt ?? '').localeCompare(String(a.createdAt ?? ''))),
    [rows],
  );
  return (
    <section>
      <h1>{t('reports.title')}</h1>
      <p className="muted">{t('reports.help')}</p>
      <table data-testid="reports">
        <thead>
          <tr>
            <th scope="col">{t('reports.received')}</th>
            <th scope="col">{t('queue.col.what')}</th>
            <th scope="col">{t('queue.col.place')}</th>
            <th scope="col">{t('queue.col.priority')}</th>
            <th scope="col">{t('queue.col.state')}</th>
          </tr>
        </thead>
        <tbody>
          {reports.map((r) => (
            <tr key={r.id}>
              <td>
                {i18n.time(r.createdAt)} ({r.createdAt ? i18n.duration(now - Date.parse(r.createdAt)) : '—'})
              </td>
              <td>
                <a
                  href={`/incidents/${r.id}`}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(`/incidents/${r.id}`);
                  }}
                >
                  {tv('category', r.category)} {r.number}
                </a>
              </td>
              <td>{tv('region', r.regionCode)}</td>
              <td>{tv('priority', r.priority)}</td>
              <td>{tv('state', r.state)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {reports.length === 0 && <p className="muted">{t('reports.none')}</p>}
    </section>
  );
}
