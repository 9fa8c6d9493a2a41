import { createServer, type Server } from 'node:http';

/**
 * A camera's snapshot endpoint for tests, on loopback: `GET /<name>` answers the JPEG the named
 * feed gives for its n-th request (Basic auth when credentials are set). Counts requests per feed.
 */
export class SnapshotTestServer {
  private server: Server | null = null;
  private readonly feeds = new Map<string, (n: number) => Buffer | null>();
  readonly requests = new Map<string, number>();
  port = 0;

  constructor(private readonly credentials?: { username: string; password: string }) {}

  feed(name: string, frame: (n: number) => Buffer | null): string {
    this.feeds.set(name, frame);
    return `http://127.0.0.1:${this.port}/${name}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const name = (req.url ?? '/').slice(1);
      const c = this.credentials;
      if (
        c &&
        req.headers.authorization !== `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`
      ) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="test camera"' }).end();
        return;
      }
      const feed = this.feeds.get(name);
      const n = this.requests.get(name) ?? 0;
      this.requests.set(name, n + 1);
      const frame = feed?.(n) ?? null;
      if (!frame) {
        res.writeHead(503).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': frame.length }).end(frame);
    });
    // Longer than a busy test's pauses between requests, so a client never reuses a socket the
    // server is closing at that moment.
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
