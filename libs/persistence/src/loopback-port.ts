import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';

/** Ports this process has handed out already: a later caller never gets one of them again. */
const handedOut = new Set<number>();

/**
 * A loopback port nothing listens on, picked from below the kernel's ephemeral range. A port from
 * that range can be taken, between this check and the caller's bind, as the source port of any
 * outgoing connection (a database pool filling up, a Kafka client reconnecting), and the bind then
 * fails with EADDRINUSE; below the range only another listener can take it.
 */
export async function freeLoopbackPort(exclude: readonly number[] = []): Promise<number> {
  const ephemeralLow = ephemeralRangeStart();
  const acceptable = (port: number) => !handedOut.has(port) && !exclude.includes(port);
  for (let attempt = 0; attempt < 50; attempt++) {
    const candidate = randomInt(15_000, ephemeralLow);
    if (acceptable(candidate) && (await canListen(candidate))) return handOut(candidate);
  }
  for (let attempt = 0; attempt < 10; attempt++) {
    const any = await listenOnce(0);
    if (acceptable(any)) return handOut(any);
  }
  throw new Error('no free loopback port found');
}

function handOut(port: number): number {
  handedOut.add(port);
  return port;
}

function ephemeralRangeStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    if (Number(low) > 20_000) return Number(low);
  } catch {
    // Not Linux: the IANA range starts at 49152, Linux's default at 32768; the lower is safe for both.
  }
  return 32_768;
}

async function canListen(port: number): Promise<boolean> {
  try {
    await listenOnce(port);
    return true;
  } catch {
    return false;
  }
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolveListen, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      const bound = (server.address() as AddressInfo).port;
      server.close(() => resolveListen(bound));
    });
  });
}
