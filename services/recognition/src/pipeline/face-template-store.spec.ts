import { FaceTemplateStore } from './face-template-store';

describe('FaceTemplateStore', () => {
  const template = (seed: number) => ({ vector: new Float32Array([seed, 1, 2]), model: 'm@1' });

  it('hands a template out once and erases it', () => {
    const store = new FaceTemplateStore({ ttlMs: 1000, maxEntries: 10 });
    const ref = store.put(template(1));
    expect(store.take(ref)?.vector[0]).toBe(1);
    expect(store.take(ref)).toBeNull();
    expect(store.size).toBe(0);
  });

  it('lets a template be read again until it is discarded, and never past its time to live', () => {
    let now = 0;
    const store = new FaceTemplateStore({ ttlMs: 100, maxEntries: 10, now: () => now });
    const ref = store.put(template(1));
    expect(store.peek(ref)?.vector[0]).toBe(1);
    expect(store.peek(ref)?.vector[0]).toBe(1);
    store.discard(ref);
    expect(store.peek(ref)).toBeNull();
    const late = store.put(template(2));
    now = 100;
    expect(store.peek(late)).toBeNull();
    expect(store.size).toBe(0);
  });

  it('erases templates past their time to live', () => {
    let now = 0;
    const store = new FaceTemplateStore({ ttlMs: 100, maxEntries: 10, now: () => now });
    const early = store.put(template(1));
    now = 60;
    const late = store.put(template(2));
    now = 120;
    expect(store.sweep()).toBe(1);
    expect(store.take(early)).toBeNull();
    expect(store.take(late)?.vector[0]).toBe(2);
  });

  it('drops the oldest template when full', () => {
    const store = new FaceTemplateStore({ ttlMs: 1000, maxEntries: 2 });
    const first = store.put(template(1));
    store.put(template(2));
    store.put(template(3));
    expect(store.size).toBe(2);
    expect(store.take(first)).toBeNull();
  });
});
