import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { freeLoopbackPort } from './loopback-port';

describe('freeLoopbackPort', () => {
  it('hands out distinct listenable ports below the ephemeral range, never one twice', async () => {
    const [ephemeralLow] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    const ports: number[] = [];
    for (let i = 0; i < 40; i++) ports.push(await freeLoopbackPort());
    expect(new Set(ports).size).toBe(ports.length);
    for (const port of ports) expect(port).toBeLessThan(Number(ephemeralLow));
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(ports[0], '127.0.0.1', resolve));
    await new Promise((resolve) => server.close(resolve));
  });

  it('skips the ports it is told are taken', async () => {
    const taken = await freeLoopbackPort();
    for (let i = 0; i < 20; i++) expect(await freeLoopbackPort([taken])).not.toBe(taken);
  });
});
