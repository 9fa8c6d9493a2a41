import { MAX_PLATE_LENGTH } from '@safecity/plates';

/** Int32 fields of a row: hash, value, length, the plate's bytes packed four to a field, padding. */
const ROW = 8;
const HASH = 0;
const VALUE = 1;
const LENGTH = 2;
const TEXT = 3;
const TEXT_FIELDS = Math.ceil(MAX_PLATE_LENGTH / 4);
const MAX_LOAD = 0.5;

/**
 * Normalised plate → number, for the exact path of the plate hotlist: each row holds the plate's
 * characters packed beside its value, so a lookup reads one 32-byte row (linear probing) instead
 * of a `Map`'s bucket, entry and key string — at 10^6 plates each of those is a cache miss.
 * Plates are at most MAX_PLATE_LENGTH ASCII characters (what `normalisePlate` returns).
 */
export class ExactPlateTable {
  private rows: Int32Array;
  private mask: number;
  private count = 0;
  private readonly packed = new Int32Array(TEXT_FIELDS);

  constructor(expected = 0) {
    let capacity = 16;
    while (capacity * MAX_LOAD < expected) capacity *= 2;
    this.rows = new Int32Array(capacity * ROW);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  get bytes(): number {
    return this.rows.byteLength;
  }

  /** The value of `plate`, or `missing`. */
  get(plate: string, missing: number): number {
    const row = this.find(this.pack(plate), plate.length);
    return row < 0 ? missing : this.rows[row + VALUE];
  }

  set(plate: string, value: number): void {
    if (plate.length === 0 || plate.length > MAX_PLATE_LENGTH)
      throw new RangeError(`a plate of ${plate.length} characters does not fit the exact table`);
    const hash = this.pack(plate);
    const found = this.find(hash, plate.length);
    if (found >= 0) {
      this.rows[found + VALUE] = value;
      return;
    }
    if (this.count + 1 > (this.mask + 1) * MAX_LOAD) this.resize((this.mask + 1) * 2);
    this.place(hash, plate.length, this.packed, value);
    this.count++;
  }

  delete(plate: string): boolean {
    const row = this.find(this.pack(plate), plate.length);
    if (row < 0) return false;
    const rows = this.rows;
    const mask = this.mask;
    // Backward-shift deletion: later rows of the probe run move up into the hole when their home
    // is not between the hole and themselves, so no tombstones are left to slow lookups.
    let hole = row / ROW;
    for (let i = (hole + 1) & mask; rows[i * ROW + LENGTH] !== 0; i = (i + 1) & mask) {
      const home = rows[i * ROW + HASH] & mask;
      const between = hole <= i ? hole < home && home <= i : hole < home || home <= i;
      if (between) continue;
      rows.copyWithin(hole * ROW, i * ROW, i * ROW + ROW);
      hole = i;
    }
    rows.fill(0, hole * ROW, hole * ROW + ROW);
    this.count--;
    return true;
  }

  /** Packs `plate` into `packed` and returns its hash (FNV-1a over the packed fields). */
  private pack(plate: string): number {
    const packed = this.packed;
    packed.fill(0);
    const length = Math.min(plate.length, MAX_PLATE_LENGTH);
    for (let i = 0; i < length; i++) packed[i >> 2] |= (plate.charCodeAt(i) & 0xff) << ((i & 3) * 8);
    let hash = 0x811c9dc5 ^ length;
    for (let f = 0; f < TEXT_FIELDS; f++) hash = Math.imul(hash ^ packed[f], 0x01000193);
    return hash ^ (hash >>> 15);
  }

  /** The row offset of the packed plate, or -1. */
  private find(hash: number, length: number): number {
    if (length > MAX_PLATE_LENGTH) return -1;
    const rows = this.rows;
    const packed = this.packed;
    const mask = this.mask;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const at = i * ROW;
      const rowLength = rows[at + LENGTH];
      if (rowLength === 0) return -1;
      if (rows[at + HASH] !== hash || rowLength !== length) continue;
      let same = true;
      for (let f = 0; f < TEXT_FIELDS && same; f++) same = rows[at + TEXT + f] === packed[f];
      if (same) return at;
    }
  }

  private place(hash: number, length: number, text: Int32Array, value: number): void {
    const rows = this.rows;
    const mask = this.mask;
    let i = hash & mask;
    while (rows[i * ROW + LENGTH] !== 0) i = (i + 1) & mask;
    const at = i * ROW;
    rows[at + HASH] = hash;
    rows[at + VALUE] = value;
    rows[at + LENGTH] = length;
    for (let f = 0; f < TEXT_FIELDS; f++) rows[at + TEXT + f] = text[f];
  }

  private resize(capacity: number): void {
    const old = this.rows;
    this.rows = new Int32Array(capacity * ROW);
    this.mask = capacity - 1;
    for (let at = 0; at < old.length; at += ROW) {
      if (old[at + LENGTH] === 0) continue;
      this.place(
        old[at + HASH],
        old[at + LENGTH],
        old.subarray(at + TEXT, at + TEXT + TEXT_FIELDS),
        old[at + VALUE],
      );
    }
  }
}
