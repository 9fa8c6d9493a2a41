import http from 'node:http';

export interface SseEvent {
  id: string | null;
  event: string;
  data: string;
}

/** A minimal Server-Sent Events client over node:http, recording what it receives. */
export class SseClient {
  readonly events: SseEvent[] = [];
  status = 0;
  private request: http.ClientRequest | null = null;
  private listeners = new Set<(event: SseEvent) => void>();

  constructor(
    private readonly url: string,
    private readonly headers: Record<string, string>,
  ) {}

  /** Resolves once the response headers have arrived. */
  connect(): Promise<number> {
    return new Promise((resolve, reject) => {
      const request = http.get(
        this.url,
        { headers: { accept: 'text/event-stream', ...this.headers } },
        (response) => {
          this.status = response.statusCode ?? 0;
          response.setEncoding('utf8');
          let buffer = '';
          response.on('data', (chunk: string) => {
            buffer += chunk;
            let end: number;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const event: SseEvent = { id: null, event: 'message', data: '' };
              let hasData = false;
              for (const line of block.split('\n')) {
                if (line.startsWith(':')) continue;
                const colon = line.indexOf(':');
                const field = colon < 0 ? line : line.slice(0, colon);
                const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
                if (field === 'id') event.id = value;
                else if (field === 'event') event.event = value;
                else if (field === 'data') {
                  event.data += (hasData ? '\n' : '') + value;
                  hasData = true;
                }
              }
              if (!hasData) continue;
              this.events.push(event);
              for (const listener of this.listeners) listener(event);
            }
          });
          resolve(this.status);
        },
      );
      request.on('error', (error) => {
        if (this.status === 0) reject(error);
      });
      this.request = request;
    });
  }

  onEvent(listener: (event: SseEvent) => void): void {
    this.listeners.add(listener);
  }

  incidents(): {
    seq: number;
    incidentId: string;
    kind: string;
    incident: { sourceKind: string; title: string };
  }[] {
    return this.events.filter((e) => e.event === 'incident').map((e) => JSON.parse(e.data));
  }

  lastEventId(): string | null {
    for (let i = this.events.length - 1; i >= 0; i--) if (this.events[i].id) return this.events[i].id;
    return null;
  }

  close(): void {
    this.request?.destroy();
  }
}
