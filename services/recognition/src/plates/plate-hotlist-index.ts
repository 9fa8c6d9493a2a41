import { enumNames, recognition } from '@safecity/contracts';
import { ExactPlateTable } from './exact-plate-table';
import { hashSymbols, KeyPostings, POWERS, tableKey } from './key-postings';
import { MAX_PLATE_LENGTH, normalisePlate, skeletonSymbols } from '@safecity/plates';

/** Why a plate is listed, by the contract's names (`HOTLIST_REASON_WANTED_PERSON` → `wanted-person`). */
export const HotlistReasonNames = enumNames(recognition.HotlistReason, 'HOTLIST_REASON_');
export type HotlistReason = (typeof HotlistReasonNames.names)[number];

/** A hotlist row as the matcher needs it; callers may carry more fields (legal basis, owner). */
export interface PlateHotlistEntry {
  id: string;
  /** As listed; matched in its normalised form. */
  plate: string;
  /** ISO 3166-1 alpha-2 of the issuing country, '' if unknown. Reported, not matched: ANPR
   * country detection is unreliable, and the operator checks the vehicle anyway. */
  country: string;
  reason: HotlistReason;
  /** Higher is more urgent (1 low … 4 critical, as incident priorities); orders hits of one kind. */
  priority: number;
  watchlistId: string;
  /** Regions whose cameras and operators the entry is for, or the whole country. */
  regions: 'national' | readonly string[];
  /** The entry matches strictly before this instant and never at or after it. */
  expiresAt: Date;
}

/**
 * How a reading matched a listed plate: `exact` (same normalised text), `confusable` (same
 * skeleton, so they differ only in characters OCR confuses) or `one-edit` (skeletons one
 * substitution, insertion, deletion or swap of neighbours apart).
 */
export type PlateMatchKind = 'exact' | 'confusable' | 'one-edit';

/** What a one-edit reading did to the listed plate's skeleton. `insertion`: the reading has a
 * character more; `deletion`: one less; `transposition`: two neighbours swapped. */
export type PlateEdit = 'substitution' | 'insertion' | 'deletion' | 'transposition';

export interface PlateHit<E extends PlateHotlistEntry = PlateHotlistEntry> {
  entry: E;
  kind: PlateMatchKind;
  /** Set for one-edit hits only. */
  edit?: PlateEdit;
}

export interface PlateMatchResult<E extends PlateHotlistEntry = PlateHotlistEntry> {
  /** The reading normalised; undefined if it is no plate, and then nothing matches. */
  normalised: string | undefined;
  /** Kind of the best hit; undefined when there is none. */
  kind: PlateMatchKind | undefined;
  /** Every live, in-scope entry that matches: exact, then confusable, then one-edit hits, each
   * by priority (highest first), then by id. */
  hits: PlateHit<E>[];
}

export interface PlateMatchOptions {
  /** Entries with `expiresAt <= now` are skipped. */
  now: Date;
  /** Regions the caller acts for (the camera's region, an operator's scope): entries scoped to
   * none of them are skipped; national entries always apply. Omitted: all regions. */
  regions?: readonly string[];
  /** The widest kind of match to look for; 'one-edit' (the default) finds all three. */
  upTo?: PlateMatchKind;
}

export interface PlateHotlistStats {
  entries: number;
  /** Distinct skeletons. */
  skeletons: number;
  /** Keys in the one-edit index: each skeleton and its distinct one-symbol deletions. */
  postings: number;
  tableCapacity: number;
  /** Typed-array memory held by the index (outside the JavaScript heap). */
  typedArrayBytes: number;
}

/** An entry that cannot be listed; `field` names what is wrong, for a 422 answer. */
export class InvalidHotlistEntryError extends Error {
  constructor(
    readonly field: keyof PlateHotlistEntry,
    readonly reason: string,
  ) {
    super(`invalid hotlist entry: ${field} ${reason}`);
    this.name = 'InvalidHotlistEntryError';
  }
}

const WHOLE = 0;
const DELETION = 1;

const FAR = -1;
const SAME = 0;
const SUBSTITUTION = 1;
const INSERTION = 2;
const DELETED = 3;
const TRANSPOSITION = 4;
const EDITS: Record<number, PlateEdit> = {
  [SUBSTITUTION]: 'substitution',
  [INSERTION]: 'insertion',
  [DELETED]: 'deletion',
  [TRANSPOSITION]: 'transposition',
};

const KIND_RANK: Record<PlateMatchKind, number> = { exact: 0, confusable: 1, 'one-edit': 2 };
const NATIONAL = 0;
const NONE = -1;
const SLOT_FIELDS = 4;
const EXPIRES_AT = 0;
const SCOPE = 1;
const NEXT_IN_GROUP = 2;
const NEXT_SAME_PLATE = 3;
const STRIDE = MAX_PLATE_LENGTH;
/** Keys per listed plate at a typical length of 8: the skeleton and up to 8 deletions. */
const KEYS_PER_ENTRY = 9;

/**
 * The plate hotlist in memory, matched by exact text, by OCR-confusable skeleton and by one edit
 * of the skeleton.
 *
 * One-edit matching uses symmetric deletion: every skeleton is indexed whole and with each of its
 * symbols deleted in turn; a reading looks up itself and its own deletions in both. Two skeletons
 * are within one substitution, insertion, deletion or neighbour swap only if they share such a
 * key, so a reading of length n costs 2n + 2 probes whatever the size of the hotlist, and each
 * candidate is then verified exactly.
 *
 * A swap of neighbours counts as one edit (optimal string alignment), not two. ANPR engines rarely
 * swap characters, but hotlist rows are typed by people from orders and witness statements, where
 * a swap is the commonest single slip; the deletion keys find swaps at no extra cost, and every
 * hit is checked by an operator before anything follows from it.
 *
 * Each entry has a slot in typed arrays and sits on two chains of slots: one per normalised plate
 * (the exact path walks only that) and one per skeleton (for confusable and one-edit hits). An
 * entry's fields are read when it is added and not again for matching, so changing an entry means
 * adding it again (the same id replaces it).
 */
export class PlateHotlistIndex<E extends PlateHotlistEntry = PlateHotlistEntry> {
  private readonly byId = new Map<string, number>();
  /** Normalised plate → first slot of its chain. */
  private readonly byPlate: ExactPlateTable;
  private readonly postings: KeyPostings;

  private slotEntry: (E | undefined)[] = [];
  private slotPlate: string[] = [];
  /** SLOT_FIELDS numbers per slot, side by side so that checking a slot on a chain touches one
   * cache line rather than one per field: at 10^6 entries every slot read is a cache miss. */
  private slotData: Float64Array;
  private slotGroup: Int32Array;
  private slotTop = 0;
  private readonly freeSlots: number[] = [];

  /** Symbols of each group's skeleton, STRIDE bytes per group; length 0 marks a free group. */
  private groupSymbols: Uint8Array;
  private groupLength: Uint8Array;
  private groupHead: Int32Array;
  /** Match number that last saw the group, so a candidate found through several keys is
   * verified once. */
  private groupSeen: Uint32Array;
  private groupTop = 0;
  private groupCount = 0;
  private readonly freeGroups: number[] = [];
  private stamp = 0;

  /** Region scopes are few (a region, a few neighbours, national) and shared by many entries. */
  private readonly scopeIds = new Map<string, number>();
  private readonly scopeRegions: (readonly string[])[] = [[]];

  private readonly query = new Uint8Array(STRIDE);
  private readonly prefix = new Int32Array(STRIDE + 1);
  private readonly suffix = new Int32Array(STRIDE + 1);
  private readonly candidates: number[] = [];
  private readonly verdicts: number[] = [];

  constructor(options: { expectedEntries?: number } = {}) {
    const expected = Math.max(16, options.expectedEntries ?? 0);
    this.postings = new KeyPostings(expected * KEYS_PER_ENTRY);
    this.byPlate = new ExactPlateTable(expected);
    this.slotData = new Float64Array(expected * SLOT_FIELDS);
    this.slotGroup = new Int32Array(expected);
    this.groupSymbols = new Uint8Array(expected * STRIDE);
    this.groupLength = new Uint8Array(expected);
    this.groupHead = new Int32Array(expected);
    this.groupSeen = new Uint32Array(expected);
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): E | undefined {
    const slot = this.byId.get(id);
    return slot === undefined ? undefined : this.slotEntry[slot];
  }

  stats(): PlateHotlistStats {
    return {
      entries: this.byId.size,
      skeletons: this.groupCount,
      postings: this.postings.size,
      tableCapacity: this.postings.capacity,
      typedArrayBytes:
        this.postings.bytes +
        this.byPlate.bytes +
        this.slotData.byteLength +
        this.slotGroup.byteLength +
        this.groupSymbols.byteLength +
        this.groupLength.byteLength +
        this.groupHead.byteLength +
        this.groupSeen.byteLength,
    };
  }

  /** Lists an entry, replacing any entry with the same id. Throws InvalidHotlistEntryError. */
  add(entry: E): void {
    const { normalised, expiresAt, scope } = this.validate(entry);
    this.remove(entry.id);

    const n = skeletonSymbols(normalised, this.query);
    let group = this.findGroup(n);
    if (group === NONE) group = this.createGroup(n);

    const slot = this.allocateSlot();
    const at = slot * SLOT_FIELDS;
    this.slotEntry[slot] = entry;
    this.slotPlate[slot] = normalised;
    this.slotGroup[slot] = group;
    this.slotData[at + EXPIRES_AT] = expiresAt;
    this.slotData[at + SCOPE] = scope;
    this.slotData[at + NEXT_IN_GROUP] = this.groupHead[group];
    this.slotData[at + NEXT_SAME_PLATE] = this.byPlate.get(normalised, NONE);
    this.groupHead[group] = slot;
    this.byPlate.set(normalised, slot);
    this.byId.set(entry.id, slot);
  }

  /** Unlists an entry; false if no entry has this id. */
  remove(id: string): boolean {
    const slot = this.byId.get(id);
    if (slot === undefined) return false;
    this.byId.delete(id);
    const group = this.slotGroup[slot];
    const plate = this.slotPlate[slot];

    const head = this.unlink(this.groupHead[group], slot, NEXT_IN_GROUP);
    this.groupHead[group] = head;
    if (head === NONE) this.deleteGroup(group);
    const plateHead = this.unlink(this.byPlate.get(plate, NONE), slot, NEXT_SAME_PLATE);
    if (plateHead === NONE) this.byPlate.delete(plate);
    else this.byPlate.set(plate, plateHead);

    this.slotEntry[slot] = undefined;
    this.slotPlate[slot] = '';
    this.freeSlots.push(slot);
    return true;
  }

  /** Unlists every entry that has expired by `now`; returns how many. Matching already skips
   * them, this only gives their memory back. */
  removeExpired(now: Date): number {
    const at = now.getTime();
    const expired: string[] = [];
    for (let s = 0; s < this.slotTop; s++) {
      const entry = this.slotEntry[s];
      if (entry !== undefined && this.slotData[s * SLOT_FIELDS + EXPIRES_AT] <= at) expired.push(entry.id);
    }
    for (const id of expired) this.remove(id);
    return expired.length;
  }

  /** The live, in-scope entries a plate reading matches, best first. */
  match(plate: string, options: PlateMatchOptions): PlateMatchResult<E> {
    const normalised = normalisePlate(plate);
    if (normalised === undefined) return { normalised, kind: undefined, hits: [] };
    const now = options.now.getTime();
    const upTo = options.upTo ?? 'one-edit';
    const hits =
      upTo === 'exact'
        ? this.exactHits(normalised, now, options.regions)
        : this.skeletonHits(normalised, upTo === 'one-edit', now, options.regions);
    if (hits.length > 1) hits.sort(byRank);
    return { normalised, kind: hits.length > 0 ? hits[0].kind : undefined, hits };
  }

  private exactHits(normalised: string, now: number, regions: readonly string[] | undefined): PlateHit<E>[] {
    const hits: PlateHit<E>[] = [];
    const data = this.slotData;
    let s = this.byPlate.get(normalised, NONE);
    for (; s !== NONE; s = data[s * SLOT_FIELDS + NEXT_SAME_PLATE]) {
      if (this.live(s, now, regions)) {
        hits.push({ entry: this.slotEntry[s] as E, kind: 'exact', edit: undefined });
      }
    }
    return hits;
  }

  private skeletonHits(
    normalised: string,
    oneEdit: boolean,
    now: number,
    regions: readonly string[] | undefined,
  ): PlateHit<E>[] {
    const hits: PlateHit<E>[] = [];
    const n = skeletonSymbols(normalised, this.query);
    const candidates = this.candidates;
    const verdicts = this.verdicts;
    candidates.length = 0;
    verdicts.length = 0;
    if (oneEdit) this.collectNeighbourhood(n, candidates);
    else this.postings.collect(tableKey(hashSymbols(this.query, 0, n), n, WHOLE), candidates);
    this.verify(n, candidates, verdicts);
    for (let i = 0; i < candidates.length; i++) {
      if (verdicts[i] !== FAR) this.collectGroup(candidates[i], verdicts[i], normalised, now, regions, hits);
    }
    return hits;
  }

  /** Appends the group numbers under every key a one-edit neighbour of the reading shares. */
  private collectNeighbourhood(n: number, out: number[]): void {
    const q = this.query;
    const prefix = this.prefix;
    const suffix = this.suffix;
    prefix[0] = 0;
    for (let i = 0; i < n; i++) prefix[i + 1] = (Math.imul(prefix[i], POWERS[1]) + q[i]) | 0;
    suffix[n] = 0;
    for (let i = n - 1; i >= 0; i--) suffix[i] = (Math.imul(q[i], POWERS[n - 1 - i]) + suffix[i + 1]) | 0;

    const whole = prefix[n];
    // Same skeleton, and listed plates that lost one symbol to become the reading.
    this.postings.collect(tableKey(whole, n, WHOLE), out);
    this.postings.collect(tableKey(whole, n, DELETION), out);
    for (let i = 0; i < n; i++) {
      if (i > 0 && q[i] === q[i - 1]) continue;
      const deleted = (Math.imul(prefix[i], POWERS[n - 1 - i]) + suffix[i + 1]) | 0;
      // Listed plates the reading adds a symbol to, then those it differs from at one position
      // (substitution) or at two neighbours (swap), which share a one-symbol deletion.
      this.postings.collect(tableKey(deleted, n - 1, WHOLE), out);
      this.postings.collect(tableKey(deleted, n - 1, DELETION), out);
    }
  }

  /** Replaces duplicate candidates by FAR and verifies the rest against the reading. */
  private verify(n: number, candidates: number[], verdicts: number[]): void {
    this.stamp = (this.stamp + 1) >>> 0;
    if (this.stamp === 0) {
      this.groupSeen.fill(0);
      this.stamp = 1;
    }
    for (let i = 0; i < candidates.length; i++) {
      const group = candidates[i];
      if (this.groupSeen[group] === this.stamp) {
        verdicts.push(FAR);
        continue;
      }
      this.groupSeen[group] = this.stamp;
      verdicts.push(
        compareSkeletons(this.query, n, this.groupSymbols, group * STRIDE, this.groupLength[group]),
      );
    }
  }

  private collectGroup(
    group: number,
    verdict: number,
    normalised: string,
    now: number,
    regions: readonly string[] | undefined,
    hits: PlateHit<E>[],
  ): void {
    const data = this.slotData;
    for (let s = this.groupHead[group]; s !== NONE; s = data[s * SLOT_FIELDS + NEXT_IN_GROUP]) {
      if (!this.live(s, now, regions)) continue;
      const entry = this.slotEntry[s] as E;
      if (verdict !== SAME) {
        hits.push({ entry, kind: 'one-edit', edit: EDITS[verdict] });
      } else {
        hits.push({
          entry,
          kind: this.slotPlate[s] === normalised ? 'exact' : 'confusable',
          edit: undefined,
        });
      }
    }
  }

  /** Not expired at `now`, and national or scoped to one of `regions`. */
  private live(slot: number, now: number, regions: readonly string[] | undefined): boolean {
    const at = slot * SLOT_FIELDS;
    if (this.slotData[at + EXPIRES_AT] <= now) return false;
    const scope = this.slotData[at + SCOPE];
    if (scope === NATIONAL || regions === undefined) return true;
    const listed = this.scopeRegions[scope];
    for (let i = 0; i < regions.length; i++) if (listed.includes(regions[i])) return true;
    return false;
  }

  /** Removes `slot` from the chain starting at `head` linked through `field`; returns the head. */
  private unlink(head: number, slot: number, field: number): number {
    const data = this.slotData;
    const next = data[slot * SLOT_FIELDS + field];
    if (head === slot) return next;
    let s = head;
    while (data[s * SLOT_FIELDS + field] !== slot) s = data[s * SLOT_FIELDS + field];
    data[s * SLOT_FIELDS + field] = next;
    return head;
  }

  private validate(entry: E): { normalised: string; expiresAt: number; scope: number } {
    if (typeof entry.id !== 'string' || entry.id.length === 0) {
      throw new InvalidHotlistEntryError('id', 'must be a non-empty string');
    }
    const normalised = typeof entry.plate === 'string' ? normalisePlate(entry.plate) : undefined;
    if (normalised === undefined) {
      throw new InvalidHotlistEntryError('plate', 'must be 2–12 letters and digits');
    }
    const expiresAt = entry.expiresAt instanceof Date ? entry.expiresAt.getTime() : NaN;
    if (!Number.isFinite(expiresAt)) {
      throw new InvalidHotlistEntryError('expiresAt', 'must be a valid date: every entry expires');
    }
    if (typeof entry.priority !== 'number' || !Number.isFinite(entry.priority)) {
      throw new InvalidHotlistEntryError('priority', 'must be a finite number');
    }
    return { normalised, expiresAt, scope: this.scopeOf(entry.regions) };
  }

  private scopeOf(regions: PlateHotlistEntry['regions']): number {
    if (regions === 'national') return NATIONAL;
    // An empty list would silently match nowhere, or everywhere if read as national.
    if (
      !Array.isArray(regions) ||
      regions.length === 0 ||
      !regions.every((r) => typeof r === 'string' && r.length > 0)
    ) {
      throw new InvalidHotlistEntryError('regions', "must be 'national' or a non-empty list of region codes");
    }
    const sorted = [...new Set(regions)].sort();
    const key = sorted.join('\n');
    let scope = this.scopeIds.get(key);
    if (scope === undefined) {
      scope = this.scopeRegions.length;
      this.scopeRegions.push(Object.freeze(sorted));
      this.scopeIds.set(key, scope);
    }
    return scope;
  }

  /** The group whose skeleton is the `n` symbols in `this.query`, or NONE. */
  private findGroup(n: number): number {
    const found = this.candidates;
    found.length = 0;
    this.postings.collect(tableKey(hashSymbols(this.query, 0, n), n, WHOLE), found);
    for (const group of found) {
      if (
        compareSkeletons(this.query, n, this.groupSymbols, group * STRIDE, this.groupLength[group]) === SAME
      ) {
        return group;
      }
    }
    return NONE;
  }

  private createGroup(n: number): number {
    let group = this.freeGroups.pop();
    if (group === undefined) {
      group = this.groupTop++;
      if (group >= this.groupLength.length) this.growGroups();
    }
    this.groupSymbols.set(this.query.subarray(0, n), group * STRIDE);
    this.groupLength[group] = n;
    this.groupHead[group] = NONE;
    this.groupCount++;
    this.forEachKey(group, (key) => this.postings.add(key, group));
    return group;
  }

  private deleteGroup(group: number): void {
    this.forEachKey(group, (key) => this.postings.delete(key, group));
    this.groupLength[group] = 0;
    this.groupCount--;
    this.freeGroups.push(group);
  }

  /** The table keys of a group: its skeleton whole and each distinct one-symbol deletion (runs
   * of a repeated symbol give the same deletion once). */
  private forEachKey(group: number, visit: (key: number) => void): void {
    const symbols = this.groupSymbols;
    const at = group * STRIDE;
    const n = this.groupLength[group];
    visit(tableKey(hashSymbols(symbols, at, n), n, WHOLE));
    let prefix = 0;
    for (let i = 0; i < n; i++) {
      if (i === 0 || symbols[at + i] !== symbols[at + i - 1]) {
        const suffix = hashSymbols(symbols, at + i + 1, n - i - 1);
        visit(tableKey((Math.imul(prefix, POWERS[n - 1 - i]) + suffix) | 0, n - 1, DELETION));
      }
      prefix = (Math.imul(prefix, POWERS[1]) + symbols[at + i]) | 0;
    }
  }

  private allocateSlot(): number {
    const free = this.freeSlots.pop();
    if (free !== undefined) return free;
    const slot = this.slotTop++;
    if (slot >= this.slotGroup.length) {
      const capacity = this.slotGroup.length * 2;
      this.slotData = grown(this.slotData, new Float64Array(capacity * SLOT_FIELDS));
      this.slotGroup = grown(this.slotGroup, new Int32Array(capacity));
    }
    return slot;
  }

  private growGroups(): void {
    const capacity = this.groupLength.length * 2;
    this.groupSymbols = grown(this.groupSymbols, new Uint8Array(capacity * STRIDE));
    this.groupLength = grown(this.groupLength, new Uint8Array(capacity));
    this.groupHead = grown(this.groupHead, new Int32Array(capacity));
    this.groupSeen = grown(this.groupSeen, new Uint32Array(capacity));
  }
}

function grown<T extends Float64Array | Int32Array | Uint32Array | Uint8Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}

function byRank(a: PlateHit, b: PlateHit): number {
  return (
    KIND_RANK[a.kind] - KIND_RANK[b.kind] ||
    b.entry.priority - a.entry.priority ||
    (a.entry.id < b.entry.id ? -1 : a.entry.id > b.entry.id ? 1 : 0)
  );
}

/**
 * How skeleton `a` (the reading, length n) relates to skeleton `b` (listed, length m at
 * `offset`): SAME, one edit (SUBSTITUTION, INSERTION, DELETED, TRANSPOSITION) or FAR. Linear: the
 * first mismatch fixes where the one edit must be.
 */
function compareSkeletons(a: Uint8Array, n: number, b: Uint8Array, offset: number, m: number): number {
  const d = n - m;
  if (d > 1 || d < -1) return FAR;
  const shorter = d > 0 ? m : n;
  let i = 0;
  while (i < shorter && a[i] === b[offset + i]) i++;
  if (d === 0) {
    if (i === n) return SAME;
    let j = i + 1;
    while (j < n && a[j] === b[offset + j]) j++;
    if (j === n) return SUBSTITUTION;
    if (j === i + 1 && a[i] === b[offset + i + 1] && a[i + 1] === b[offset + i]) {
      for (j = i + 2; j < n; j++) if (a[j] !== b[offset + j]) return FAR;
      return TRANSPOSITION;
    }
    return FAR;
  }
  if (d === 1) {
    for (let j = i; j < m; j++) if (a[j + 1] !== b[offset + j]) return FAR;
    return INSERTION;
  }
  for (let j = i; j < n; j++) if (a[j] !== b[offset + j + 1]) return FAR;
  return DELETED;
}
