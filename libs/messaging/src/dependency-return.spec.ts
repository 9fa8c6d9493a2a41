import { DependencyReturn } from './dependency-return';

describe('DependencyReturn: waiters for an outage are woken as soon as the dependency answers again', () => {
  it('waits out the whole back-off when nothing answers', async () => {
    const returns = new DependencyReturn(5);
    const started = Date.now();
    await expect(returns.wait(60)).resolves.toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(returns.waiting).toBe(0);
  });

  it('wakes every waiter, and tells listeners, when something succeeds after the outage', async () => {
    const returns = new DependencyReturn(5);
    const heard: string[] = [];
    returns.onAnswered(() => heard.push('answered'));
    const started = Date.now();
    const waits = [returns.wait(10_000), returns.wait(10_000)];
    setTimeout(() => returns.answered(), 20);
    await expect(Promise.all(waits)).resolves.toEqual([true, true]);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(heard).toEqual(['answered']);
  });

  it('probes while anyone waits and wakes them when the probe answers after failing', async () => {
    const returns = new DependencyReturn(10);
    let down = true;
    let probes = 0;
    returns.addProbe(async () => {
      probes++;
      if (down) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    });
    const waiting = returns.wait(10_000);
    await new Promise((r) => setTimeout(r, 60));
    expect(probes).toBeGreaterThan(1);
    const backAt = Date.now();
    down = false;
    await expect(waiting).resolves.toBe(true);
    expect(Date.now() - backAt).toBeLessThan(1_000);
    // Nobody waits: the probe stops asking.
    const after = probes;
    await new Promise((r) => setTimeout(r, 60));
    expect(probes).toBeLessThanOrEqual(after + 1);
  });

  it('does not wake waiters for a dependency that answered all along (they wait for another one)', async () => {
    const returns = new DependencyReturn(5);
    returns.addProbe(async () => undefined);
    await expect(returns.wait(80)).resolves.toBe(false);
  });
});
