import { FaceIndex } from './face-index';
import { randomVectors } from '../../test/random-vectors';

describe('FaceIndex', () => {
  const random = randomVectors(7);

  it('finds the template a noisy probe came from, with its exact cosine similarity', () => {
    const index = new FaceIndex<string>(64);
    const people = Array.from({ length: 500 }, () => random(64));
    people.forEach((v, i) => index.add(`t${i}`, v));
    const noise = random(64);
    const probe = people[123].map((x, i) => x + 0.2 * noise[i]);
    const [best] = index.search(probe, 3);
    expect(best.ref).toBe('t123');
    expect(best.similarity).toBeCloseTo(index.bruteForce(probe, 1)[0].similarity, 6);
    expect(best.similarity).toBeLessThan(1);
    expect(index.search(people[5], 1)[0]).toEqual({ ref: 't5', similarity: expect.closeTo(1, 5) });
  });

  it('agrees with brute force on the best candidate', () => {
    const index = new FaceIndex<number>(32);
    const stored = Array.from({ length: 2000 }, () => random(32));
    stored.forEach((v, i) => index.add(i, v));
    let agree = 0;
    for (let q = 0; q < 100; q++) {
      const probe = random(32);
      if (index.search(probe, 1)[0].ref === index.bruteForce(probe, 1)[0].ref) agree++;
    }
    expect(agree).toBeGreaterThanOrEqual(97);
  });

  it('adds many templates at once, searchable like single ones', () => {
    const index = new FaceIndex<number>(16);
    const stored = Array.from({ length: 300 }, () => random(16));
    index.addMany(stored.map((vector, ref) => ({ ref, vector })));
    expect(index.size).toBe(300);
    expect(index.search(stored[77], 1)[0]).toEqual({ ref: 77, similarity: expect.closeTo(1, 5) });
    index.addMany([{ ref: 77, vector: stored[78] }]);
    expect(index.size).toBe(300);
    expect(index.search(stored[77], 1)[0].ref).not.toBe(77);
  });

  it('replaces and removes templates, and refuses vectors of another shape', () => {
    const index = new FaceIndex<string>(4);
    index.add('a', new Float32Array([1, 0, 0, 0]));
    index.add('a', new Float32Array([0, 1, 0, 0]));
    expect(index.size).toBe(1);
    expect(index.search(new Float32Array([0, 1, 0, 0]), 1)[0].similarity).toBeCloseTo(1, 6);
    expect(index.remove('a')).toBe(true);
    expect(index.search(new Float32Array([0, 1, 0, 0]), 1)).toEqual([]);
    expect(() => index.add('b', new Float32Array([1, 0, 0]))).toThrow(RangeError);
    expect(() => index.add('b', new Float32Array([0, 0, 0, 0]))).toThrow(RangeError);
    expect(index.search(new Float32Array([1, 0, 0]), 1)).toEqual([]);
  });

  it('finds the best template a filter takes, past any number of nearer ones it passes over', () => {
    const index = new FaceIndex<number>(32);
    const person = random(32);
    const near = (noise: number) => {
      const n = random(32);
      return person.map((x, i) => x + noise * n[i]);
    };
    // 0..299 are passed over, all nearer the probe than 300, the one taken.
    index.addMany(Array.from({ length: 301 }, (_, ref) => ({ ref, vector: near(ref < 300 ? 0.05 : 0.3) })));
    const probe = near(0.05);
    const accept = (ref: number) => ref === 300;
    expect(index.search(probe, 5).map((c) => c.ref)).not.toContain(300);
    for (const limit of [1024, 100, 16]) {
      const [best, ...rest] = index.searchWhere(probe, 5, { accept, candidates: 16, limit });
      expect(best).toEqual({
        ref: 300,
        similarity: expect.closeTo(index.bruteForce(probe, 1, accept)[0].similarity, 6),
      });
      expect(rest).toEqual([]);
    }
    // Once the graph proposes only templates below the floor, nothing further can be taken.
    expect(index.searchWhere(probe, 1, { accept, floor: 0.999 })).toEqual([]);
  });
});
