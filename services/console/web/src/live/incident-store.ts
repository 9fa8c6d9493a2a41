import { apiUrl, call } from '../api';

/** An incident as the queue and the map show it: the live stream's view, kept current. */
export interface QueueRow {
  id: string;
  number: string;
  regionCode: string;
  districtCode?: string | null;
  category: string;
  priority: string;
  state: string;
  sourceKind: string;
  title: string;
  lat: number | null;
  lon: number | null;
  operationsCenterId: string | null;
  unitId: string | null;
  breachedStages?: string[];
  version: number;
  sourceCount?: number;
  createdAt?: string;
  verifyDueAt?: string | null;
  dispatchDueAt?: string | null;
  /** Client side: when this row first arrived over the stream (for the new-incident flash). */
  arrivedAt?: number;
  /** Client side: createdAt as epoch ms, for sorting without parsing dates. */
  createdMs?: number;
}

interface FeedEntry {
  seq: number;
  incidentId: string;
  kind: string;
  changedAt: string;
  incident: QueueRow;
}

interface IncidentView {
  id: string;
  number: string;
  regionCode: string;
  districtCode: string | null;
  category: string;
  priority: string;
  state: string;
  sourceKind: string;
  title: string;
  location: { lat: number | null; lon: number | null };
  assignment: { operationsCenterId: string | null; unitId: string | null };
  sla: { verifyDueAt: string | null; dispatchDueAt: string | null; breachedStages: string[] };
  createdAt: string;
  version: number;
}

export const OPEN_STATES = ['new', 'verified', 'dispatched', 'on-scene'];
export const HIGH_PRIORITIES = new Set(['high', 'critical']);
export type StreamStatus = 'connecting' | 'live' | 'reconnecting';

function fromView(view: IncidentView): QueueRow {
  return {
    id: view.id,
    number: view.number,
    regionCode: view.regionCode,
    districtCode: view.districtCode,
    category: view.category,
    priority: view.priority,
    state: view.state,
    sourceKind: view.sourceKind,
    title: view.title,
    lat: view.location.lat,
    lon: view.location.lon,
    operationsCenterId: view.assignment.operationsCenterId,
    unitId: view.assignment.unitId,
    breachedStages: view.sla.breachedStages,
    version: view.version,
    createdAt: view.createdAt,
    verifyDueAt: view.sla.verifyDueAt,
    dispatchDueAt: view.sla.dispatchDueAt,
  };
}

/**
 * The incidents of the user's regions, live: the stream is opened first, then the open incidents
 * are read over REST, and every change is applied by the incident's version, so the two meet
 * without a gap. After a dropped connection the stream resumes after the last event seen
 * (Last-Event-ID); an event seen twice changes nothing, and rows are keyed by incident, so a
 * reconnect neither loses nor repeats a row. Listeners are told at most once per frame.
 */
export class IncidentStore {
  private readonly rows = new Map<string, QueueRow>();
  private lastSeq: number | null = null;
  private source: EventSource | null = null;
  private listeners = new Set<() => void>();
  private newListeners = new Set<(row: QueueRow) => void>();
  private snapshotCache: QueueRow[] | null = null;
  private scheduled = false;
  private retryTimer: number | null = null;
  private retries = 0;
  private stopped = false;
  status: StreamStatus = 'connecting';
  loaded = false;
  /** Reconnects done, for the status line. */
  reconnects = 0;
  /**
   * Grows when a row is added or changes what a queue sorts and filters by (state, priority,
   * creation, district, center); other changes (a reassignment, a new source) leave the order be.
   */
  orderVersion = 0;

  start() {
    this.stopped = false;
    this.connect(true);
  }

  stop() {
    this.stopped = true;
    this.source?.close();
    this.source = null;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onNewIncident(listener: (row: QueueRow) => void): () => void {
    this.newListeners.add(listener);
    return () => this.newListeners.delete(listener);
  }

  snapshot = (): QueueRow[] => (this.snapshotCache ??= [...this.rows.values()]);

  get(id: string): QueueRow | undefined {
    return this.rows.get(id);
  }

  /** A row the detail screen read over REST, which may be newer than the stream's. */
  upsertView(view: IncidentView) {
    this.apply(fromView(view));
  }

  /** Drops the connection as a network failure would (the reconnect path; used by tests too). */
  dropConnection() {
    this.source?.close();
    this.source = null;
    this.scheduleReconnect(0);
  }

  get lastEventId(): number | null {
    return this.lastSeq;
  }

  private connect(initial: boolean) {
    if (this.stopped) return;
    const resume = this.lastSeq === null ? '' : `?lastEventId=${this.lastSeq}`;
    const source = new EventSource(apiUrl('incidents', `/incidents/stream${resume}`));
    this.source = source;
    this.status = initial ? 'connecting' : 'reconnecting';
    this.changed();
    source.onopen = () => {
      this.retries = 0;
      this.status = 'live';
      this.changed();
      if (!this.loaded) void this.loadOpen();
    };
    source.addEventListener('incident', (event) => this.received(event as MessageEvent<string>));
    source.addEventListener('closed', (event) => {
      source.close();
      const reason = (JSON.parse((event as MessageEvent<string>).data) as { reason: string }).reason;
      // Too far behind for the stream to replay: read the open incidents again.
      if (reason.startsWith('too far behind')) {
        this.lastSeq = null;
        this.loaded = false;
      }
      this.scheduleReconnect(500);
    });
    source.onerror = () => {
      // EventSource retries by itself (with Last-Event-ID) unless the answer was not a stream.
      if (source.readyState === EventSource.CLOSED) this.scheduleReconnect();
      else {
        this.status = 'reconnecting';
        this.changed();
      }
    };
  }

  private scheduleReconnect(delay?: number) {
    if (this.stopped || this.retryTimer !== null) return;
    this.source = null;
    this.status = 'reconnecting';
    this.reconnects++;
    this.changed();
    const wait = delay ?? Math.min(30_000, 1000 * 2 ** this.retries++);
    this.retryTimer = window.setTimeout(async () => {
      this.retryTimer = null;
      // A stream refused for the session (401) means signing in again, not retrying forever.
      const session = await fetch('/auth/session', { credentials: 'same-origin' }).catch(() => null);
      if (session?.status === 401) {
        window.dispatchEvent(new Event('safecity:session-ended'));
        return;
      }
      this.connect(false);
    }, wait);
  }

  private received(event: MessageEvent<string>) {
    const seq = Number(event.lastEventId);
    if (this.lastSeq !== null && seq <= this.lastSeq) return;
    this.lastSeq = seq;
    const entry = JSON.parse(event.data) as FeedEntry;
    const row: QueueRow = { ...entry.incident };
    if (entry.kind === 'created') row.createdAt ??= entry.changedAt;
    const isNew = !this.rows.has(row.id);
    if (isNew) row.arrivedAt = performance.now();
    if (this.apply(row) && isNew && entry.kind === 'created') {
      for (const listener of this.newListeners) listener(this.rows.get(row.id)!);
    }
  }

  private apply(row: QueueRow): boolean {
    const known = this.rows.get(row.id);
    if (known && known.version >= row.version) return false;
    // Fields the stream leaves out are kept from what was known.
    const next = { ...known } as QueueRow;
    for (const key of Object.keys(row) as (keyof QueueRow)[]) {
      if (row[key] !== undefined) (next as unknown as Record<string, unknown>)[key] = row[key];
    }
    if (known && row.breachedStages === undefined) next.breachedStages = [];
    next.createdMs = next.createdAt ? Date.parse(next.createdAt) : 0;
    if (
      !known ||
      known.state !== next.state ||
      known.priority !== next.priority ||
      known.createdMs !== next.createdMs ||
      known.districtCode !== next.districtCode ||
      known.operationsCenterId !== next.operationsCenterId
    ) {
      this.orderVersion++;
    }
    this.rows.set(row.id, next);
    this.changed();
    return true;
  }

  private async loadOpen() {
    let cursor: string | null = null;
    // Bounded: 10 pages of 500 open incidents are more than any operations center has.
    for (let page = 0; page < 10; page++) {
      const query = new URLSearchParams({ state: OPEN_STATES.join(','), limit: '500' });
      if (cursor) query.set('cursor', cursor);
      const body: { items: IncidentView[]; nextCursor: string | null } = await call(
        'incidents',
        `/incidents?${query}`,
      );
      for (const view of body.items) this.apply(fromView(view));
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    this.loaded = true;
    this.changed();
  }

  private changed() {
    this.snapshotCache = null;
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      for (const listener of this.listeners) listener();
    });
  }
}
