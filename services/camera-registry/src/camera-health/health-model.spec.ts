import { dampingDecision, observedStatusOf } from './health-model';

describe('flapping damping', () => {
  const rule = { maxTransitions: 4 };

  it('publishes up to the limit of transitions in the window, then holds', () => {
    expect(dampingDecision({ held: false, transitionsInWindow: 1 }, rule)).toBe('publish');
    expect(dampingDecision({ held: false, transitionsInWindow: 4 }, rule)).toBe('publish');
    expect(dampingDecision({ held: false, transitionsInWindow: 5 }, rule)).toBe('start-hold');
  });

  it('keeps a held camera held whatever the count: only stability releases it', () => {
    expect(dampingDecision({ held: true, transitionsInWindow: 1 }, rule)).toBe('hold');
  });
});

describe('observed status of a heartbeat', () => {
  it('is offline for a camera reporting a fault, online otherwise', () => {
    expect(observedStatusOf('ok')).toBe('online');
    expect(observedStatusOf('degraded')).toBe('online');
    expect(observedStatusOf('fault')).toBe('offline');
  });
});
