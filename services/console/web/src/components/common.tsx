import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../api';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/en';

/** A refusal or failure in words: what the service said, the field it named, the steps it allows. */
export function ErrorNotice({ error }: { error: unknown }) {
  const { t, tv } = useI18n();
  if (!error) return null;
  if (!(error instanceof ApiError)) {
    return (
      <div role="alert" className="notice error">
        {t('error.unexpected')}
      </div>
    );
  }
  const heading: MessageKey =
    error.status === 409
      ? 'error.409'
      : error.status === 422
        ? 'error.422'
        : error.status === 400
          ? 'error.400'
          : error.status === 403
            ? 'error.403'
            : error.status === 404
              ? 'error.404'
              : error.status === 401
                ? 'error.401'
                : error.status === 429
                  ? 'error.429'
                  : error.status >= 500 || error.status === 0
                    ? 'error.5xx'
                    : 'error.other';
  return (
    <div role="alert" className="notice error" data-status={error.status}>
      <strong>{t(heading, { status: error.status })}</strong>
      <p className="data">{error.message}</p>
      {error.problems.length > 0 && (
        <ul>
          {error.problems.map((p, i) => (
            <li key={i}>
              {t('error.field', { field: p.field })} <span className="data">{p.reason}</span>
            </li>
          ))}
        </ul>
      )}
      {error.allowedTransitions && (
        <p>
          {error.allowedTransitions.length
            ? t('error.allowed', { steps: error.allowedTransitions.map((s) => tv('state', s)).join(', ') })
            : t('error.finalState')}
        </p>
      )}
      {error.retryAfter && <p>{t('error.retryAfter', { seconds: error.retryAfter })}</p>}
    </div>
  );
}

/** Loads something on mount and when `deps` change; `reload` reads it again. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    load(controller.signal).then(
      (data) => !controller.signal.aborted && setState({ data, loading: false }),
      (error: unknown) => !controller.signal.aborted && setState({ error, loading: false }),
    );
    return () => controller.abort();
  }, [...deps, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...state, reload };
}

/** A modal dialog: focus moves in, Escape closes, focus returns where it was. */
export function Dialog(props: { title: string; onClose(): void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current!;
    const before = document.activeElement as HTMLElement | null;
    dialog.showModal();
    const first = dialog.querySelector<HTMLElement>('input, select, textarea, button');
    first?.focus();
    return () => before?.focus();
  }, []);
  return (
    <dialog
      ref={ref}
      aria-labelledby="dialog-title"
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      <h2 id="dialog-title">{props.title}</h2>
      {props.children}
    </dialog>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p role="status" className="muted">
      {t('common.loading')}
    </p>
  );
}

/** Seconds tick for countdowns: one timer for the whole screen. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
