import { createServer, Socket, type AddressInfo, type Server } from 'node:net';

/**
 * How a cut dependency answers: `refuse` closes the port (ECONNREFUSED) and drops every open
 * connection ("Connection terminated"), as a stopped or killed PostgreSQL does; `starting-up`
 * accepts and answers every PostgreSQL start-up with FATAL 57P03 "the database system is starting
 * up", as a PostgreSQL that is replaying its log after `-m immediate` does.
 */
export type OutageMode = 'refuse' | 'starting-up';

/**
 * A TCP proxy in front of a real server (PostgreSQL, a broker, a gRPC service) that can be cut
 * and restored on the same port, for tests of what an outage does to the platform, without
 * stopping the shared server every other suite uses.
 */
export class TcpOutageProxy {
  private server: Server | null = null;
  private port = 0;
  private mode: 'up' | OutageMode = 'up';
  private readonly open = new Set<Socket>();

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** A proxy for the host and port of `url` (e.g. a `postgres://` URL). */
  static forUrl(url: string): TcpOutageProxy {
    const parsed = new URL(url);
    return new TcpOutageProxy(parsed.hostname, Number(parsed.port));
  }

  /** Starts forwarding on a free loopback port, kept across cuts; returns the port. */
  async start(): Promise<number> {
    await this.listen();
    return this.port;
  }

  /** `url` with its host and port replaced by the proxy's. */
  through(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(this.port);
    return parsed.toString();
  }

  /** Cuts the dependency off: every open connection is dropped, new ones answered as `mode` says. */
  async cut(mode: OutageMode = 'refuse'): Promise<void> {
    this.mode = mode;
    for (const socket of this.open) socket.destroy();
    this.open.clear();
    if (mode === 'refuse') await this.closeListener();
    else await this.listen();
  }

  /** Forwards again, on the same port. */
  async restore(): Promise<void> {
    this.mode = 'up';
    await this.listen();
  }

  async stop(): Promise<void> {
    for (const socket of this.open) socket.destroy();
    this.open.clear();
    await this.closeListener();
  }

  private async listen(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  private closeListener(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    client.on('error', () => undefined);
    if (this.mode === 'starting-up') {
      // Whatever the client opens with (an SSL request or a start-up message), the answer is the
      // error PostgreSQL gives while it recovers.
      client.once('data', () => client.end(startingUpError()));
      return;
    }
    const upstream = new Socket();
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    this.open.add(client);
    client.on('close', () => this.open.delete(client));
    upstream.connect(this.targetPort, this.targetHost, () => {
      client.pipe(upstream);
      upstream.pipe(client);
    });
  }
}

/** A PostgreSQL ErrorResponse: FATAL 57P03 "the database system is starting up". */
function startingUpError(): Buffer {
  const fields = Buffer.concat(
    [
      ['S', 'FATAL'],
      ['V', 'FATAL'],
      ['C', '57P03'],
      ['M', 'the database system is starting up'],
    ].map(([type, value]) => Buffer.concat([Buffer.from(type), Buffer.from(value), Buffer.from([0])])),
  );
  const body = Buffer.concat([fields, Buffer.from([0])]);
  const header = Buffer.alloc(5);
  header.write('E', 0);
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}
