import { useState } from 'react';
import { ApiError, call, upload } from '../api';
import { ErrorNotice, Loading, useLoad } from '../components/common';
import { useI18n } from '../i18n/i18n';

interface VideoSystem {
  id: string;
  name: string;
  regionCode: string;
  vendor: string;
  ingestionMethod: string;
}
interface ApiKeyInfo {
  keyId: string;
  label: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt?: string | null;
}
interface ImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  total: number;
}

function Keys({ system }: { system: VideoSystem }) {
  const i18n = useI18n();
  const { t } = i18n;
  const keys = useLoad(
    (signal) => call<ApiKeyInfo[]>('camera-registry', `/video-systems/${system.id}/api-keys`, { signal }),
    [system.id],
  );
  const [shown, setShown] = useState<{ apiKey: string; keyId: string } | null>(null);
  const [label, setLabel] = useState('');
  const [error, setError] = useState<unknown>(null);
  return (
    <div>
      <h3>{t('keys.title')}</h3>
      {shown && (
        <div className="notice warn" role="alert" data-testid="new-key">
          <p>{t('keys.shownOnce')}</p>
          <code className="secret">{shown.apiKey}</code>
          <button type="button" onClick={() => setShown(null)}>
            {t('keys.stored')}
          </button>
        </div>
      )}
      <ul>
        {(keys.data ?? []).map((k) => (
          <li key={k.keyId}>
            <code>{k.keyId}</code> {k.label && <span className="data">{k.label}</span>} —{' '}
            {t('keys.created', { at: i18n.dateTime(k.createdAt) })}
            {k.expiresAt && `, ${t('keys.expires', { at: i18n.dateTime(k.expiresAt) })}`}
            {k.revokedAt && `, ${t('keys.revoked')}`}
          </li>
        ))}
      </ul>
      <form
        className="inline"
        onSubmit={async (e) => {
          e.preventDefault();
          setError(null);
          try {
            const issued = await call<{ apiKey: string; keyId: string }>(
              'camera-registry',
              `/video-systems/${system.id}/api-keys`,
              {
                body: label ? { label } : {},
              },
            );
            setShown(issued);
            setLabel('');
            keys.reload();
          } catch (err) {
            setError(err);
          }
        }}
      >
        <label>
          {t('keys.label')}
          <input value={label} onChange={(e) => setLabel(e.target.value)} autoComplete="off" />
        </label>
        <button type="submit">{t('keys.issue')}</button>
      </form>
      <ErrorNotice error={error ?? keys.error} />
    </div>
  );
}

function CsvImport({ system }: { system: VideoSystem }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [result, setResult] = useState<ImportSummary | null>(null);
  const [error, setError] = useState<unknown>(null);
  const problems = error instanceof ApiError && error.status === 422 ? error.problems : [];
  return (
    <div>
      <h3>{t('import.title')}</h3>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          if (!file) return;
          setError(null);
          setResult(null);
          setProgress(0);
          try {
            const type = file.name.endsWith('.json') ? 'application/json' : 'text/csv; charset=utf-8';
            setResult(
              await upload<ImportSummary>(
                'camera-registry',
                `/video-systems/${system.id}/cameras/import`,
                file,
                type,
                setProgress,
              ),
            );
          } catch (err) {
            setError(err);
          }
        }}
      >
        <label>
          {t('import.file')}
          <input
            type="file"
            accept=".csv,.json,text/csv,application/json"
            data-testid="import-file"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </label>
        <button type="submit" disabled={!file}>
          {t('import.submit')}
        </button>
      </form>
      {progress !== null && (
        <p>
          <label>
            {t('import.progress')}{' '}
            <progress max={1} value={progress} data-testid="import-progress">
              {i18n.percent(progress)}
            </progress>{' '}
            {i18n.percent(progress)}
          </label>
        </p>
      )}
      {result && (
        <p role="status" className="notice ok" data-testid="import-result">
          {t('import.done', {
            created: result.created,
            updated: result.updated,
            unchanged: result.unchanged,
            total: result.total,
          })}
        </p>
      )}
      {problems.length > 0 ? (
        <div role="alert" className="notice error" data-testid="import-errors">
          <p>{t('import.rejected', { n: problems.length })}</p>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('import.line')}</th>
                <th scope="col">{t('import.field')}</th>
                <th scope="col">{t('import.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {problems.map((p, i) => (
                <tr key={i}>
                  <td>{p.line ?? '—'}</td>
                  <td className="data">{p.field}</td>
                  <td className="data">{p.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <ErrorNotice error={error} />
      )}
    </div>
  );
}

export function VideoSystemsScreen() {
  const { t, tv } = useI18n();
  const systems = useLoad(
    (signal) => call<VideoSystem[]>('camera-registry', '/video-systems', { signal }),
    [],
  );
  const [open, setOpen] = useState<string | null>(null);
  return (
    <section>
      <h1>{t('systems.title')}</h1>
      {systems.loading && !systems.data && <Loading />}
      {(systems.data ?? []).map((s) => (
        <article key={s.id} className="card wide" data-testid="video-system">
          <h2 className="data">{s.name}</h2>
          <p>
            {tv('region', s.regionCode)} · {s.vendor} · {s.ingestionMethod}
          </p>
          <button
            type="button"
            aria-expanded={open === s.id}
            onClick={() => setOpen(open === s.id ? null : s.id)}
          >
            {open === s.id ? t('systems.hide') : t('systems.manage')}
          </button>
          {open === s.id && (
            <div className="columns">
              <Keys system={s} />
              <CsvImport system={s} />
            </div>
          )}
        </article>
      ))}
      <ErrorNotice error={systems.error} />
    </section>
  );
}
