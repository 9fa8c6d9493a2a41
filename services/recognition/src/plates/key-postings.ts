/**
 * A multimap from 32-bit keys to group numbers held in two typed arrays with linear probing.
 *
 * The one-edit index stores about nine keys per listed plate. As strings in a `Map` that would
 * be some 9·10^6 keys at 10^6 entries, several hundred megabytes, and close to V8's limit of
 * 2^24 entries per `Map`; here a key is a 32-bit hash and costs 8 bytes of table. Hash collisions
 * only add candidates, and every candidate is verified against the plate anyway.
 */
export class KeyPostings {
  /** Keys are never 0: 0 marks an empty slot. */
  private keys: Int32Array;
  private values: Int32Array;
  private mask: number;
  private count = 0;

  constructor(expected = 0) {
    const capacity = capacityFor(expected);
    this.keys = new Int32Array(capacity);
    this.values = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  get capacity(): number {
    return this.keys.length;
  }

  get bytes(): number {
    return this.keys.byteLength + this.values.byteLength;
  }

  add(key: number, value: number): void {
    if (this.count + 1 > this.keys.length * MAX_LOAD) this.resize(this.keys.length * 2);
    this.place(key, value);
    this.count++;
  }

  /** Appends every value stored under `key` to `out`. */
  collect(key: number, out: number[]): void {
    const keys = this.keys;
    const mask = this.mask;
    for (let i = key & mask; ; i = (i + 1) & mask) {
      const k = keys[i];
      if (k === 0) return;
      if (k === key) out.push(this.values[i]);
    }
  }

  /** Removes one `key` → `value` pair; false if there was none. */
  delete(key: number, value: number): boolean {
    const keys = this.keys;
    const values = this.values;
    const mask = this.mask;
    let hole = key & mask;
    for (; ; hole = (hole + 1) & mask) {
      const k = keys[hole];
      if (k === 0) return false;
      if (k === key && values[hole] === value) break;
    }
    // Backward-shift deletion instead of tombstones: hotlists churn daily (entries expire and
    // are re-issued), and tombstones would lengthen every probe until the next rebuild. A later
    // pair moves into the hole unless its home slot lies cyclically in (hole, j].
    for (let j = (hole + 1) & mask; ; j = (j + 1) & mask) {
      const k = keys[j];
      if (k === 0) break;
      const home = k & mask;
      const stays = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (stays) continue;
      keys[hole] = k;
      values[hole] = values[j];
      hole = j;
    }
    keys[hole] = 0;
    values[hole] = 0;
    this.count--;
    return true;
  }

  private place(key: number, value: number): void {
    const keys = this.keys;
    const mask = this.mask;
    let i = key & mask;
    while (keys[i] !== 0) i = (i + 1) & mask;
    keys[i] = key;
    this.values[i] = value;
  }

  private resize(capacity: number): void {
    const keys = this.keys;
    const values = this.values;
    this.keys = new Int32Array(capacity);
    this.values = new Int32Array(capacity);
    this.mask = capacity - 1;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) this.place(keys[i], values[i]);
  }
}

/** Linear probing stays short below about two thirds full; doubling keeps the load in 0.3–0.6. */
const MAX_LOAD = 0.6;
const MIN_CAPACITY = 16;

function capacityFor(expected: number): number {
  let capacity = MIN_CAPACITY;
  while (capacity * MAX_LOAD < expected) capacity *= 2;
  return capacity;
}

const BASE = 0x2545f491;

/** Polynomial hash of `length` symbols from `offset`, modulo 2^32. */
export function hashSymbols(symbols: Uint8Array, offset: number, length: number): number {
  let h = 0;
  for (let i = 0; i < length; i++) h = (Math.imul(h, BASE) + symbols[offset + i]) | 0;
  return h;
}

/** BASE^k modulo 2^32, for the hashes of strings with one symbol removed. */
export const POWERS = new Int32Array(16);
POWERS[0] = 1;
for (let k = 1; k < POWERS.length; k++) POWERS[k] = Math.imul(POWERS[k - 1], BASE);

/**
 * The table key of a polynomial hash: the string's length and what the string is (a whole
 * skeleton or a skeleton with one symbol deleted) are mixed in, then murmur3's finaliser spreads
 * the bits, since the table takes its slot from the low bits.
 */
export function tableKey(hash: number, length: number, tag: number): number {
  let x = hash ^ Math.imul(length * 2 + tag + 1, 0x9e3779b1);
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x === 0 ? 1 : x;
}
