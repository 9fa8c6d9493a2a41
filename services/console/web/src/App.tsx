import { useEffect, useMemo, useState, useSyncExternalStore, type ReactElement } from 'react';
import { onSessionEnd, signIn, signOut, type SessionInfo } from './api';
import { useI18n, LANGS, ZONES, type Lang, type Zone } from './i18n/i18n';
import type { MessageKey } from './i18n/en';
import { HIGH_PRIORITIES, IncidentStore, type QueueRow } from './live/incident-store';
import { playAlert } from './live/alert-sound';
import { navigate, usePath } from './router';
import { CameraPage } from './screens/CameraPage';
import { CamerasWall } from './screens/CamerasWall';
import { CaseDetail, CasesList } from './screens/Cases';
import { IncidentDetail } from './screens/IncidentDetail';
import { MapScreen } from './screens/MapScreen';
import { QueueScreen } from './screens/QueueScreen';
import { ReportsScreen } from './screens/ReportsScreen';
import { SupervisorScreen } from './screens/SupervisorScreen';
import { VideoSystemsScreen } from './screens/VideoSystemsScreen';

type Role = string;
interface NavItem {
  path: string;
  label: MessageKey;
  roles: Role[];
}

const INCIDENT_ROLES = ['operator', 'supervisor', 'admin', 'region-admin', 'analyst'];
export const NAV: NavItem[] = [
  { path: '/queue', label: 'nav.queue', roles: INCIDENT_ROLES },
  { path: '/map', label: 'nav.map', roles: INCIDENT_ROLES },
  { path: '/supervisor', label: 'nav.supervisor', roles: ['supervisor', 'admin'] },
  {
    path: '/cameras',
    label: 'nav.cameras',
    roles: ['operator', 'supervisor', 'admin', 'region-admin', 'analyst'],
  },
  { path: '/video-systems', label: 'nav.videoSystems', roles: ['admin', 'region-admin'] },
  { path: '/reports', label: 'nav.reports', roles: ['operator', 'supervisor', 'admin', 'analyst'] },
  { path: '/cases', label: 'nav.cases', roles: ['prevention-officer', 'social-worker', 'admin'] },
];

export interface AppContext {
  session: SessionInfo;
  store: IncidentStore | null;
  has(...roles: Role[]): boolean;
}

export function App({ session }: { session: SessionInfo }) {
  const i18n = useI18n();
  const { t } = i18n;
  const path = usePath();
  const [ended, setEnded] = useState(false);
  const roles = session.user.roles;
  const has = (...wanted: Role[]) => wanted.some((r) => roles.includes(r));
  const allowed = NAV.filter((item) => has(...item.roles));
  const store = useMemo(() => (has(...INCIDENT_ROLES) ? new IncidentStore() : null), []);
  const [flash, setFlash] = useState<QueueRow | null>(null);

  useEffect(() => {
    if (!store) return;
    store.start();
    const off = store.onNewIncident((row) => {
      if (!HIGH_PRIORITIES.has(row.priority)) return;
      setFlash(row);
      playAlert();
    });
    return () => {
      off();
      store.stop();
    };
  }, [store]);
  useEffect(() => {
    if (!flash) return;
    const timer = window.setTimeout(() => setFlash(null), 6000);
    return () => clearTimeout(timer);
  }, [flash]);
  useEffect(() => {
    const end = () => setEnded(true);
    window.addEventListener('safecity:session-ended', end);
    const off = onSessionEnd(end);
    return () => {
      window.removeEventListener('safecity:session-ended', end);
      off();
    };
  }, []);
  useEffect(() => {
    if ((path === '/' || path === '') && allowed[0]) navigate(allowed[0].path);
  }, [path]);

  // Stable, so a flash or a status change does not re-render every screen.
  const context = useMemo<AppContext>(() => ({ session, store, has }), [session, store]); // has reads only roles
  const status = useSyncExternalStore(
    (l) => store?.subscribe(l) ?? (() => undefined),
    () => store?.status ?? null,
  );

  let screen: ReactElement;
  const incident = /^\/incidents\/([0-9a-f-]{36})$/.exec(path);
  const camera = /^\/cameras\/([0-9a-f-]{36})$/.exec(path);
  const kase = /^\/cases\/([0-9a-f-]{36})$/.exec(path);
  const may = (p: string) => allowed.some((item) => item.path === p);
  if (path === '/queue' && may('/queue')) screen = <QueueScreen ctx={context} />;
  else if (path === '/map' && may('/map')) screen = <MapScreen ctx={context} />;
  else if (incident && may('/queue')) screen = <IncidentDetail ctx={context} id={incident[1]} />;
  else if (path === '/supervisor' && may('/supervisor')) screen = <SupervisorScreen ctx={context} />;
  else if (path === '/cameras' && may('/cameras')) screen = <CamerasWall />;
  else if (camera && may('/cameras')) screen = <CameraPage ctx={context} id={camera[1]} />;
  else if (path === '/video-systems' && may('/video-systems')) screen = <VideoSystemsScreen />;
  else if (path === '/reports' && may('/reports')) screen = <ReportsScreen ctx={context} />;
  else if (path === '/cases' && may('/cases')) screen = <CasesList />;
  else if (kase && may('/cases')) screen = <CaseDetail ctx={context} id={kase[1]} />;
  else
    screen = (
      <section>
        <h1>{t('app.nothingHere')}</h1>
        <p>{allowed.length ? t('app.pickScreen') : t('app.noScreens')}</p>
      </section>
    );

  return (
    <div className={`app${flash ? ' flashing' : ''}`}>
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="topbar">
        <span className="brand">{t('app.title')}</span>
        <nav aria-label={t('nav.label')}>
          <ul>
            {allowed.map((item) => (
              <li key={item.path}>
                <a
                  href={item.path}
                  aria-current={path.startsWith(item.path) ? 'page' : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(item.path);
                  }}
                >
                  {t(item.label)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="tools">
          {status && (
            <span className={`stream ${status}`} role="status" data-testid="stream-status">
              {t(`stream.${status}` as MessageKey)}
            </span>
          )}
          <label>
            <span className="visually-hidden">{t('app.language')}</span>
            <select
              value={i18n.lang}
              onChange={(e) => i18n.setLang(e.target.value as Lang)}
              data-testid="language"
              aria-label={t('app.language')}
            >
              {LANGS.map((lang) => (
                <option key={lang} value={lang} lang={lang}>
                  {t(`lang.${lang}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span className="visually-hidden">{t('app.timeZone')}</span>
            <select
              value={i18n.zone}
              onChange={(e) => i18n.setZone(e.target.value as Zone)}
              aria-label={t('app.timeZone')}
            >
              {ZONES.map((zone) => (
                <option key={zone} value={zone}>
                  {t(zone === 'Asia/Almaty' ? 'zone.almaty' : 'zone.aqtobe')}
                </option>
              ))}
            </select>
          </label>
          <span className="user" data-testid="user">
            {session.user.name}
            <span className="muted">
              {' '}
              ({roles.map((r) => i18n.tv('role', r)).join(', ')};{' '}
              {session.user.regions === 'all'
                ? t('app.allRegions')
                : session.user.regions.map((r) => i18n.tv('region', r)).join(', ')}
              )
            </span>
          </span>
          <button
            type="button"
            onClick={async () => {
              const logoutUrl = await signOut();
              location.assign(logoutUrl ?? '/');
            }}
          >
            {t('app.signOut')}
          </button>
        </div>
      </header>
      {flash && (
        <div className="flash-banner" role="alert" data-testid="new-incident-alert">
          {t('alert.newHigh', {
            priority: i18n.tv('priority', flash.priority),
            category: i18n.tv('category', flash.category),
            number: flash.number,
          })}{' '}
          <a
            href={`/incidents/${flash.id}`}
            onClick={(e) => {
              e.preventDefault();
              navigate(`/incidents/${flash.id}`);
              setFlash(null);
            }}
          >
            {t('alert.open')}
          </a>
        </div>
      )}
      {ended && (
        <div className="notice error" role="alert">
          {t('app.sessionEnded')}{' '}
          <button type="button" onClick={() => signIn(i18n.lang)}>
            {t('app.signInAgain')}
          </button>
        </div>
      )}
      <main id="main" tabIndex={-1}>
        {screen}
      </main>
    </div>
  );
}
