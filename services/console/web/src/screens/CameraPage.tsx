import type { AppContext } from '../App';
import { call } from '../api';
import { ErrorNotice, Loading, useLoad } from '../components/common';
import { LeafletMap, pointFeature } from '../components/LeafletMap';
import { useI18n } from '../i18n/i18n';
import type { CameraItem } from './MapScreen';

interface Health {
  status: string;
  observedStatus: string;
  flapping: boolean;
  lastHeartbeatAt: string | null;
  expectedIntervalSeconds: number;
  offlineAfterSeconds: number;
}
interface Uptime {
  timeZone: string;
  days: { date: string; uptimeRatio: number | null }[];
}

export function CameraPage({ ctx, id }: { ctx: AppContext; id: string }) {
  const i18n = useI18n();
  const { t, tv } = i18n;
  const camera = useLoad(
    (signal) =>
      call<CameraItem & { tags: string[]; mountType: string | null }>('camera-registry', `/cameras/${id}`, {
        signal,
      }),
    [id],
  );
  const health = useLoad(
    (signal) => call<Health>('camera-registry', `/cameras/${id}/health`, { signal }),
    [id],
  );
  const uptime = useLoad(
    (signal) => call<Uptime>('camera-registry', `/cameras/${id}/uptime`, { signal }),
    [id],
  );
  if (camera.error) return <ErrorNotice error={camera.error} />;
  if (!camera.data) return <Loading />;
  const c = camera.data;
  return (
    <section>
      <h1 className="data">{c.name}</h1>
      <div className="columns">
        <dl className="facts">
          <dt>{t('camera.status')}</dt>
          <dd>
            <span className={`state cam-${c.status}`}>{tv('cameraStatus', c.status)}</span>
            {health.data?.flapping && <strong> {t('cameras.flapping')}</strong>}
          </dd>
          <dt>{t('camera.region')}</dt>
          <dd>{tv('region', c.regionCode)}</dd>
          <dt>{t('camera.address')}</dt>
          <dd className="data">{c.address ?? '—'}</dd>
          <dt>{t('camera.externalId')}</dt>
          <dd className="data">{c.externalId}</dd>
          <dt>{t('camera.capabilities')}</dt>
          <dd>{c.capabilities.map((cap) => tv('capability', cap)).join(', ')}</dd>
          <dt>{t('camera.lifecycle')}</dt>
          <dd>{tv('lifecycle', c.lifecycle)}</dd>
          <dt>{t('cameras.lastHeartbeat')}</dt>
          <dd>{i18n.dateTime(health.data?.lastHeartbeatAt)}</dd>
          <dt>{t('camera.offlineAfter')}</dt>
          <dd>{health.data ? i18n.duration(health.data.offlineAfterSeconds * 1000) : '—'}</dd>
        </dl>
        <LeafletMap
          layers={{
            points: {
              type: 'FeatureCollection',
              features: [
                pointFeature(c.location.lon, c.location.lat, {
                  kind: 'camera',
                  id: c.id,
                  status: c.status,
                  label: c.name,
                }),
              ],
            },
          }}
          tileUrl={ctx.session.map.tileUrl}
          tileAttribution={ctx.session.map.tileAttribution}
          center={[c.location.lat, c.location.lon]}
          label={t('camera.map')}
        />
      </div>
      <h2>{t('camera.uptime')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('camera.day')}</th>
            <th scope="col">{t('camera.uptimeRatio')}</th>
          </tr>
        </thead>
        <tbody>
          {(uptime.data?.days ?? []).map((d) => (
            <tr key={d.date}>
              <td>{d.date}</td>
              <td>{d.uptimeRatio === null ? t('camera.unknownUptime') : i18n.percent(d.uptimeRatio)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorNotice error={health.error ?? uptime.error} />
    </section>
  );
}
