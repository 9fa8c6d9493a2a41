import { useMemo, useState } from 'react';
import { call } from '../api';
import { ErrorNotice, Loading, useLoad } from '../components/common';
import { useI18n } from '../i18n/i18n';
import { navigate } from '../router';
import { loadCameras, type CameraItem } from './MapScreen';

interface SystemHealth {
  videoSystemId: string;
  status: string;
  lastHeartbeatAt: string | null;
  cameras: { total: number; online: number; offline: number; unknown: number; flapping: number };
}
interface VideoSystem {
  id: string;
  name: string;
  regionCode: string;
  vendor: string;
}

/** The health wall: per region, each video system's cameras by status, and every camera as a tile. */
export function CamerasWall() {
  const i18n = useI18n();
  const { t, tv } = i18n;
  const [status, setStatus] = useState('');
  const cameras = useLoad((signal) => loadCameras(signal, '&lifecycle=active'), []);
  const systems = useLoad(async (signal) => {
    const list = await call<VideoSystem[]>('camera-registry', '/video-systems', { signal });
    const health = await Promise.all(
      list.map((s) =>
        call<SystemHealth>('camera-registry', `/video-systems/${s.id}/health`, { signal }).catch(() => null),
      ),
    );
    return list.map((s, i) => ({ ...s, health: health[i] }));
  }, []);
  const byRegion = useMemo(() => {
    const groups = new Map<string, CameraItem[]>();
    for (const c of cameras.data ?? []) {
      if (status && c.status !== status) continue;
      groups.set(c.regionCode, [...(groups.get(c.regionCode) ?? []), c]);
    }
    return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [cameras.data, status]);

  return (
    <section>
      <h1>{t('cameras.title')}</h1>
      <h2>{t('cameras.systems')}</h2>
      {systems.loading && !systems.data && <Loading />}
      <div className="system-cards">
        {(systems.data ?? []).map((s) => (
          <article key={s.id} className="card" data-testid="system-health">
            <h3 className="data">{s.name}</h3>
            <p>
              {tv('region', s.regionCode)} · {s.vendor}
            </p>
            {s.health ? (
              <dl className="counts">
                <dt>{tv('cameraStatus', 'online')}</dt>
                <dd className="ok">{i18n.number(s.health.cameras.online)}</dd>
                <dt>{tv('cameraStatus', 'offline')}</dt>
                <dd className="bad">{i18n.number(s.health.cameras.offline)}</dd>
                <dt>{t('cameras.flapping')}</dt>
                <dd className="warn">{i18n.number(s.health.cameras.flapping)}</dd>
                <dt>{tv('cameraStatus', 'unknown')}</dt>
                <dd>{i18n.number(s.health.cameras.unknown)}</dd>
                <dt>{t('cameras.uptimeNow')}</dt>
                <dd>
                  {s.health.cameras.total
                    ? i18n.percent(s.health.cameras.online / s.health.cameras.total)
                    : '—'}
                </dd>
                <dt>{t('cameras.lastHeartbeat')}</dt>
                <dd>{i18n.dateTime(s.health.lastHeartbeatAt)}</dd>
              </dl>
            ) : (
              <p className="muted">{t('cameras.noHealth')}</p>
            )}
          </article>
        ))}
      </div>
      <label>
        {t('cameras.filterStatus')}
        <select value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">{t('common.all')}</option>
          {['online', 'offline', 'unknown'].map((s) => (
            <option key={s} value={s}>
              {tv('cameraStatus', s)}
            </option>
          ))}
        </select>
      </label>
      {cameras.loading && !cameras.data && <Loading />}
      {byRegion.map(([region, list]) => (
        <section key={region} aria-labelledby={`wall-${region}`}>
          <h2 id={`wall-${region}`}>
            {tv('region', region)} — {t('cameras.count', { n: i18n.number(list.length) })}
          </h2>
          <ul className="wall">
            {list.map((c) => (
              <li key={c.id}>
                <a
                  href={`/cameras/${c.id}`}
                  className={`tile ${c.status}`}
                  title={`${c.name} — ${tv('cameraStatus', c.status)}`}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(`/cameras/${c.id}`);
                  }}
                >
                  <span className="visually-hidden">
                    {c.name} — {tv('cameraStatus', c.status)}
                  </span>
                  <span aria-hidden="true">{c.externalId.replace(/^ch-0*/, '')}</span>
                </a>
              </li>
            ))}
          </ul>
        </section>
      ))}
      <ErrorNotice error={cameras.error ?? systems.error} />
    </section>
  );
}
