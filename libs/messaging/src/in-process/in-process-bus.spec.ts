import { InProcessBus } from './in-process-bus';
import type { ConsumedRecord } from '../envelope';

const record = (topic: string, key: string, n: number) => ({
  topic,
  key,
  value: Buffer.from(String(n)),
  headers: { seq: String(n) },
});

describe('InProcessBus', () => {
  it('keeps per-key order and delivers every record once per group', async () => {
    const bus = new InProcessBus(4);
    const seenA: ConsumedRecord[] = [];
    const seenB: ConsumedRecord[] = [];
    bus.subscribe('group-a', ['t'], async (r) => {
      // Uneven handler times would reorder records if partitions were not drained one at a time.
      await new Promise((res) => setTimeout(res, Number(r.value) % 3));
      seenA.push(r);
    });
    bus.subscribe('group-b', ['t'], async (r) => void seenB.push(r));
    const keys = ['cam-1', 'cam-2', 'cam-3', 'cam-4', 'cam-5'];
    bus.publish(Array.from({ length: 100 }, (_, i) => record('t', keys[i % keys.length], i)));
    // A correctness check, bounded generously: on a loaded machine the handlers' timers run late.
    expect(await bus.whenIdle(30_000)).toBe(true);
    expect(seenA).toHaveLength(100);
    expect(seenB).toHaveLength(100);
    for (const key of keys) {
      const order = seenA.filter((r) => r.key === key).map((r) => Number(r.value));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });

  it('spreads partitions over the members of a group, each record handled by one member', async () => {
    const bus = new InProcessBus(4);
    const byMember = [0, 0];
    bus.subscribe('g', ['t'], async () => void byMember[0]++);
    bus.subscribe('g', ['t'], async () => void byMember[1]++);
    bus.publish(Array.from({ length: 200 }, (_, i) => record('t', `k${i}`, i)));
    await bus.whenIdle();
    expect(byMember[0] + byMember[1]).toBe(200);
    expect(byMember[0]).toBeGreaterThan(0);
    expect(byMember[1]).toBeGreaterThan(0);
  });

  it('resumes a group from its committed offsets after its member comes back', async () => {
    const bus = new InProcessBus(2);
    const seen: string[] = [];
    const leave = bus.subscribe('g', ['t'], async (r) => void seen.push(r.value.toString()));
    bus.publish([record('t', 'a', 1), record('t', 'b', 2)]);
    await bus.whenIdle();
    leave();
    bus.publish([record('t', 'a', 3)]);
    expect(bus.lag('g', 't')).toBe(1);
    bus.subscribe('g', ['t'], async (r) => void seen.push(r.value.toString()));
    await bus.whenIdle();
    expect(seen.sort()).toEqual(['1', '2', '3']);
    expect(bus.lag('g', 't')).toBe(0);
  });

  it('retries a record whose handler throws instead of skipping it', async () => {
    const bus = new InProcessBus(1);
    let calls = 0;
    bus.subscribe('g', ['t'], async () => {
      calls++;
      if (calls === 1) throw new Error('bus unavailable');
    });
    bus.publish([record('t', 'a', 1)]);
    const deadline = Date.now() + 2_000;
    while (calls < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(calls).toBe(2);
    expect(bus.lag('g', 't')).toBe(0);
  });
});
