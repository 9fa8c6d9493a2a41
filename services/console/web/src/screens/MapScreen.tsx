import { useMemo, useState, useSyncExternalStore } from 'react';
import type { AppContext } from '../App';
import { call } from '../api';
import { ErrorNotice, useLoad } from '../components/common';
import { bboxFeature, LeafletMap, pointFeature } from '../components/LeafletMap';
import { useI18n } from '../i18n/i18n';
import { OPEN_STATES } from '../live/incident-store';
import { navigate } from '../router';
import { incidentLabel } from './QueueScreen';

interface Region {
  code: string;
  name: string;
  bbox: { minLon: number; minLat: number; maxLon: number; maxLat: number } | null;
}
export interface CameraItem {
  id: string;
  name: string;
  regionCode: string;
  districtCode: string | null;
  videoSystemId: string;
  externalId: string;
  location: { lat: number; lon: number };
  status: string;
  lifecycle: string;
  capabilities: string[];
  address: string | null;
}

/** Every camera of the user's regions, page by page (bounded). */
export async function loadCameras(signal: AbortSignal, query = ''): Promise<CameraItem[]> {
  const cameras: CameraItem[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 20; page++) {
    const body: { items: CameraItem[]; nextCursor: string | null } = await call(
      'camera-registry',
      `/cameras?limit=500${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { signal },
    );
    cameras.push(...body.items);
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  return cameras;
}

/** Region outlines (the registry's envelopes of regions and districts) as GeoJSON. */
export async function loadOutlines(
  signal: AbortSignal,
  regions: string[] | 'all',
): Promise<GeoJSON.FeatureCollection> {
  const all = await call<Region[]>('camera-registry', '/regions', { signal });
  const mine = all.filter((r) => r.bbox && (regions === 'all' || regions.includes(r.code)));
  const districts = (
    await Promise.all(
      mine
        .slice(0, 6)
        .map((r) =>
          call<Region[]>('camera-registry', `/regions/${r.code}/districts`, { signal }).catch(() => []),
        ),
    )
  ).flat();
  return {
    type: 'FeatureCollection',
    features: [
      ...mine.map((r) => bboxFeature(r.bbox!, { kind: 'region', name: r.name, code: r.code })),
      ...districts
        .filter((d) => d.bbox)
        .map((d) => bboxFeature(d.bbox!, { kind: 'district', name: d.name, code: d.code })),
    ],
  };
}

export function MapScreen({ ctx }: { ctx: AppContext }) {
  const i18n = useI18n();
  const { t, tv } = i18n;
  const store = ctx.store!;
  const rows = useSyncExternalStore((l) => store.subscribe(l), store.snapshot);
  const params = new URLSearchParams(location.search);
  const [selected, setSelected] = useState<string | null>(params.get('incident'));
  const [showCameras, setShowCameras] = useState(true);
  const cameras = useLoad((signal) => loadCameras(signal), []);
  const outlines = useLoad((signal) => loadOutlines(signal, ctx.session.user.regions), []);
  const open = useMemo(
    () => rows.filter((r) => OPEN_STATES.includes(r.state) && r.lat !== null && r.lon !== null),
    [rows],
  );
  const trajectory = useLoad(
    async (signal) => {
      const row = selected ? store.get(selected) : undefined;
      if (!selected || row?.sourceKind !== 'plate-match') return undefined;
      const detail = await call<{
        sources: { location: { lat: number; lon: number } | null; observedAt: string | null }[];
      }>('incidents', `/incidents/${selected}`, { signal });
      return detail.sources
        .filter((s) => s.location)
        .sort((a, b) => String(a.observedAt).localeCompare(String(b.observedAt)))
        .map((s) => [s.location!.lat, s.location!.lon] as [number, number]);
    },
    [selected],
  );
  const points = useMemo<GeoJSON.FeatureCollection>(
    () => ({
      type: 'FeatureCollection',
      features: [
        ...(showCameras ? (cameras.data ?? []) : []).map((c) =>
          pointFeature(c.location.lon, c.location.lat, {
            kind: 'camera',
            id: c.id,
            status: c.status,
            label: `${c.name} — ${tv('cameraStatus', c.status)}`,
          }),
        ),
        ...open.map((r) =>
          pointFeature(r.lon!, r.lat!, {
            kind: 'incident',
            id: r.id,
            priority: r.priority,
            label: `${r.number}: ${incidentLabel(r, i18n)} (${tv('priority', r.priority)})`,
          }),
        ),
      ],
    }),
    [cameras.data, open, showCameras, i18n, tv],
  );
  const selectedRow = selected ? store.get(selected) : undefined;
  const center =
    selectedRow && selectedRow.lat !== null && selectedRow.lon !== null
      ? ([selectedRow.lat, selectedRow.lon] as [number, number])
      : null;

  return (
    <section className="map-screen">
      <h1>{t('map.title')}</h1>
      <div className="map-layout">
        <LeafletMap
          layers={{ outlines: outlines.data, points, trajectory: trajectory.data }}
          tileUrl={ctx.session.map.tileUrl}
          tileAttribution={ctx.session.map.tileAttribution}
          center={center}
          label={t('map.title')}
          onSelect={(kind, id) => (kind === 'incident' ? setSelected(id) : navigate(`/cameras/${id}`))}
        />
        <aside aria-label={t('map.incidents')}>
          <label className="check">
            <input type="checkbox" checked={showCameras} onChange={(e) => setShowCameras(e.target.checked)} />
            {t('map.showCameras')}
          </label>
          <ul className="legend" aria-label={t('map.legend')}>
            <li>
              <span className="dot online" aria-hidden="true" /> {tv('cameraStatus', 'online')}
            </li>
            <li>
              <span className="dot offline" aria-hidden="true" /> {tv('cameraStatus', 'offline')}
            </li>
            <li>
              <span className="dot unknown" aria-hidden="true" /> {tv('cameraStatus', 'unknown')}
            </li>
          </ul>
          <h2>{t('map.incidents')}</h2>
          <ul className="map-incidents">
            {open.slice(0, 200).map((r) => (
              <li key={r.id}>
                <button type="button" aria-pressed={r.id === selected} onClick={() => setSelected(r.id)}>
                  <span className={`badge prio-${r.priority}`}>{tv('priority', r.priority)}</span>{' '}
                  {incidentLabel(r, i18n)}
                </button>
              </li>
            ))}
          </ul>
          {selectedRow && (
            <p>
              <a
                href={`/incidents/${selectedRow.id}`}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(`/incidents/${selectedRow.id}`);
                }}
              >
                {t('map.openIncident', { number: selectedRow.number })}
              </a>
              {trajectory.data && trajectory.data.length > 1 && (
                <span> · {t('map.trajectory', { n: trajectory.data.length })}</span>
              )}
            </p>
          )}
          <ErrorNotice error={cameras.error ?? outlines.error} />
        </aside>
      </div>
    </section>
  );
}
