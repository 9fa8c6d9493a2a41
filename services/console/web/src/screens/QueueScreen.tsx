import { memo, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { AppContext } from '../App';
import { call } from '../api';
import { ActionDialog, type ActionKind, type TransitionOutcome } from '../components/incident-actions';
import { ErrorNotice, useLoad, useNow } from '../components/common';
import { useI18n, type I18n } from '../i18n/i18n';
import { OPEN_STATES, type QueueRow } from '../live/incident-store';
import { navigate } from '../router';

const ROW_HEIGHT = 44;
const PRIORITY_RANK: Record<string, number> = { critical: 4, high: 3, medium: 2, low: 1 };
const CATEGORIES = [
  'violence',
  'public-order',
  'theft',
  'wanted-vehicle',
  'wanted-person',
  'missing-person',
  'domestic',
  'traffic',
  'fire',
  'medical',
  'intrusion',
  'suspicious-object',
  'infrastructure',
  'other',
];
const STATES = [...OPEN_STATES, 'resolved'];
const FLASH_MS = 4000;

export interface QueueFilters {
  states: string[];
  category: string;
  district: string;
  center: string;
  sort: 'priority' | 'newest' | 'oldest';
}

export function sortRows(rows: QueueRow[], filters: QueueFilters): QueueRow[] {
  const created = (row: QueueRow) => row.createdMs ?? 0;
  return rows
    .filter(
      (row) =>
        filters.states.includes(row.state) &&
        (!filters.category || row.category === filters.category) &&
        (!filters.district || row.districtCode === filters.district) &&
        (!filters.center || row.operationsCenterId === filters.center),
    )
    .sort((a, b) =>
      filters.sort === 'newest'
        ? created(b) - created(a)
        : filters.sort === 'oldest'
          ? created(a) - created(b)
          : (PRIORITY_RANK[b.priority] ?? 0) - (PRIORITY_RANK[a.priority] ?? 0) || created(b) - created(a),
    );
}

/** What the queue shows of an incident's cause, in the user's language (the service's title is English data). */
export function incidentLabel(row: Pick<QueueRow, 'category' | 'sourceKind' | 'title'>, i18n: I18n): string {
  const plate = row.sourceKind === 'plate-match' ? /([A-Z0-9]{4,12})$/.exec(row.title)?.[1] : undefined;
  const category = i18n.tv('category', row.category);
  return plate ? `${category} · ${plate}` : `${category} · ${i18n.tv('source', row.sourceKind)}`;
}

/** The SLA deadline the incident is working against now, and how it stands. */
export function slaOf(
  row: QueueRow,
  now: number,
): { dueAt: number; left: number; level: 'ok' | 'amber' | 'red' } | null {
  const due = row.state === 'new' ? row.verifyDueAt : row.state === 'verified' ? row.dispatchDueAt : null;
  if (!due) return null;
  const dueAt = Date.parse(due);
  const left = dueAt - now;
  const start = row.createdAt ? Date.parse(row.createdAt) : dueAt - 600_000;
  const span = Math.max(1, dueAt - start);
  const level =
    left <= 0 || (row.breachedStages?.length ?? 0) > 0 ? 'red' : left < span * 0.33 ? 'amber' : 'ok';
  return { dueAt, left, level };
}

const Row = memo(function Row(props: {
  row: QueueRow;
  selected: boolean;
  now: number;
  top: number;
  onSelect(id: string): void;
}) {
  const i18n = useI18n();
  const { row, now } = props;
  const sla = slaOf(row, now);
  const age = row.createdAt ? now - Date.parse(row.createdAt) : null;
  const fresh = row.arrivedAt !== undefined && performance.now() - row.arrivedAt < FLASH_MS;
  return (
    <div
      role="row"
      aria-selected={props.selected}
      data-incident-id={row.id}
      className={`qrow prio-${row.priority}${props.selected ? ' selected' : ''}${fresh ? ' fresh' : ''}`}
      style={{ transform: `translateY(${props.top}px)` }}
      onClick={() => props.onSelect(row.id)}
      onDoubleClick={() => navigate(`/incidents/${row.id}`)}
    >
      <span role="gridcell" className="c-prio">
        <span className={`badge prio-${row.priority}`}>{i18n.tv('priority', row.priority)}</span>
      </span>
      <span role="gridcell" className="c-what">
        <a
          href={`/incidents/${row.id}`}
          tabIndex={-1}
          onClick={(e) => {
            e.preventDefault();
            navigate(`/incidents/${row.id}`);
          }}
        >
          {incidentLabel(row, i18n)}
        </a>
        <span className="muted"> {row.number}</span>
      </span>
      <span role="gridcell" className="c-place">
        {i18n.tv('region', row.regionCode)}
        {row.districtCode ? ` · ${i18n.tv('district', row.districtCode)}` : ''}
      </span>
      <span role="gridcell" className="c-age">
        {age === null ? '—' : i18n.duration(age)}
      </span>
      <span role="gridcell" className={`c-sla sla-${sla?.level ?? 'none'}`} data-sla={sla?.level ?? 'none'}>
        {sla ? (sla.left > 0 ? i18n.duration(sla.left) : `−${i18n.duration(-sla.left)}`) : '—'}
      </span>
      <span role="gridcell" className="c-state">
        <span className={`state state-${row.state}`}>{i18n.tv('state', row.state)}</span>
      </span>
    </div>
  );
});

/** Memoised: the application's own re-renders (a flash, the stream status) leave the queue be. */
export const QueueScreen = memo(function QueueScreen({ ctx }: { ctx: AppContext }) {
  const i18n = useI18n();
  const { t, tv } = i18n;
  const store = ctx.store!;
  const rows = useSyncExternalStore((l) => store.subscribe(l), store.snapshot);
  const orderVersion = store.orderVersion;
  const now = useNow(1000);
  const [filters, setFilters] = useState<QueueFilters>(() => ({
    states: OPEN_STATES,
    category: '',
    district: '',
    center: '',
    sort: (new URLSearchParams(location.search).get('sort') as QueueFilters['sort']) ?? 'priority',
  }));
  // The order is worked out again only when it can have changed; rows themselves are always current.
  const order = useMemo(() => sortRows(rows, filters).map((row) => row.id), [orderVersion, filters]);
  const visible = useMemo(() => order.map((id) => store.get(id)!).filter(Boolean), [order, rows, store]);
  const [selected, setSelected] = useState<string | null>(null);
  const [action, setAction] = useState<ActionKind | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const listRef = useRef<HTMLDivElement>(null);
  const centers = useLoad(
    (signal) =>
      call<{ id: string; name: string; regionCode: string }[]>('camera-registry', '/operations-centers', {
        signal,
      }).catch(() => []),
    [],
  );
  const districts = useMemo(
    () => [...new Set(rows.map((r) => r.districtCode).filter((d): d is string => Boolean(d)))].sort(),
    [orderVersion],
  );
  const selectedRow = visible.find((r) => r.id === selected) ?? null;

  useEffect(() => {
    const list = listRef.current;
    if (!list) return;
    const observer = new ResizeObserver(() => setHeight(list.clientHeight));
    observer.observe(list);
    return () => observer.disconnect();
  }, []);

  const moveSelection = (delta: number) => {
    if (visible.length === 0) return;
    const index = selected ? visible.findIndex((r) => r.id === selected) : -1;
    const next = visible[Math.max(0, Math.min(visible.length - 1, index + delta))];
    setSelected(next.id);
    const list = listRef.current;
    const top = visible.indexOf(next) * ROW_HEIGHT;
    if (list && (top < list.scrollTop || top + ROW_HEIGHT > list.scrollTop + list.clientHeight)) {
      list.scrollTop = Math.max(0, top - list.clientHeight / 2);
    }
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (action || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement;
      if (['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName) || target.closest('dialog')) return;
      const key = event.key.toLowerCase();
      if (key === 'j' || key === 'n' || event.key === 'ArrowDown') moveSelection(1);
      else if (key === 'k' || event.key === 'ArrowUp') moveSelection(-1);
      else if (event.key === 'Enter' && selectedRow) navigate(`/incidents/${selectedRow.id}`);
      else if (key === 'v' && selectedRow) setAction('verify');
      else if (key === 'd' && selectedRow) setAction('dispatch');
      else if (key === 'x' && selectedRow) setAction('dismiss');
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - 5);
  const last = Math.min(visible.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + 5);
  const toggleState = (state: string) =>
    setFilters((f) => ({
      ...f,
      states: f.states.includes(state) ? f.states.filter((s) => s !== state) : [...f.states, state],
    }));

  return (
    <section className="queue-screen">
      <h1>{t('queue.title')}</h1>
      <form className="filters" aria-label={t('queue.filters')} onSubmit={(e) => e.preventDefault()}>
        <fieldset>
          <legend>{t('queue.state')}</legend>
          {STATES.map((state) => (
            <label key={state} className="check">
              <input
                type="checkbox"
                checked={filters.states.includes(state)}
                onChange={() => toggleState(state)}
              />
              {tv('state', state)}
            </label>
          ))}
        </fieldset>
        <label>
          {t('queue.category')}
          <select
            value={filters.category}
            onChange={(e) => setFilters((f) => ({ ...f, category: e.target.value }))}
          >
            <option value="">{t('common.all')}</option>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {tv('category', c)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('queue.district')}
          <select
            value={filters.district}
            onChange={(e) => setFilters((f) => ({ ...f, district: e.target.value }))}
          >
            <option value="">{t('common.all')}</option>
            {districts.map((d) => (
              <option key={d} value={d}>
                {tv('district', d)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('queue.center')}
          <select
            value={filters.center}
            onChange={(e) => setFilters((f) => ({ ...f, center: e.target.value }))}
          >
            <option value="">{t('common.all')}</option>
            {(centers.data ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('queue.sort')}
          <select
            value={filters.sort}
            onChange={(e) => setFilters((f) => ({ ...f, sort: e.target.value as QueueFilters['sort'] }))}
          >
            <option value="priority">{t('queue.sort.priority')}</option>
            <option value="newest">{t('queue.sort.newest')}</option>
            <option value="oldest">{t('queue.sort.oldest')}</option>
          </select>
        </label>
      </form>
      <p className="shortcuts" id="queue-shortcuts">
        {t('queue.shortcuts')}
      </p>
      <p className="muted" role="status" data-testid="queue-count">
        {store.loaded ? t('queue.count', { count: i18n.number(visible.length) }) : t('common.loading')}
      </p>
      {notice && (
        <p role="status" className="notice ok">
          {notice}
        </p>
      )}
      <div
        role="grid"
        aria-label={t('queue.title')}
        aria-describedby="queue-shortcuts"
        aria-rowcount={visible.length}
        className="queue"
      >
        <div role="rowgroup">
          <div role="row" className="qrow head">
            <span role="columnheader" className="c-prio">
              {t('queue.col.priority')}
            </span>
            <span role="columnheader" className="c-what">
              {t('queue.col.what')}
            </span>
            <span role="columnheader" className="c-place">
              {t('queue.col.place')}
            </span>
            <span role="columnheader" className="c-age">
              {t('queue.col.age')}
            </span>
            <span role="columnheader" className="c-sla">
              {t('queue.col.sla')}
            </span>
            <span role="columnheader" className="c-state">
              {t('queue.col.state')}
            </span>
          </div>
        </div>
        <div
          className="qbody"
          ref={listRef}
          role="rowgroup"
          tabIndex={0}
          onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
          onFocus={() => !selected && moveSelection(1)}
        >
          <div style={{ height: visible.length * ROW_HEIGHT, position: 'relative' }} role="presentation">
            {visible.slice(first, last).map((row, i) => (
              <Row
                key={row.id}
                row={row}
                top={(first + i) * ROW_HEIGHT}
                selected={row.id === selected}
                now={now}
                onSelect={setSelected}
              />
            ))}
          </div>
        </div>
      </div>
      {action && selectedRow && (
        <ActionDialog
          incident={selectedRow}
          action={action}
          onClose={() => setAction(null)}
          onDone={(outcome: TransitionOutcome) => {
            setAction(null);
            setNotice(
              outcome.verification
                ? t('verify.recorded', {
                    n: outcome.verification.confirmations,
                    of: outcome.verification.required,
                  })
                : t('action.done', { state: tv('state', outcome.incident.state) }),
            );
          }}
        />
      )}
      <ErrorNotice error={centers.error} />
    </section>
  );
});
