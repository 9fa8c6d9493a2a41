/**
 * Deterministic pseudo-random vectors (mulberry32) with components in [-1, 1), so a failing face
 * search can be replayed from its seed.
 */
export function randomVectors(seed: number): (dims: number) => Float32Array {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (dims) => Float32Array.from({ length: dims }, () => next() * 2 - 1);
}
