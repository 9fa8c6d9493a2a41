/**
 * Plate text as the matcher sees it: a normalised form (what was listed or read, in one alphabet
 * and without separators) and a skeleton (the normalised form with characters that OCR engines
 * confuse folded together).
 */

/** Shortest and longest normalised plate. Formats are not validated: old, special and foreign
 * plates must still be listable, so any run of 2–12 letters and digits is a plate. */
export const MIN_PLATE_LENGTH = 2;
export const MAX_PLATE_LENGTH = 12;

/** Raw input longer than this is rejected before it is scanned: no real reading with separators
 * comes near it, and a bound keeps a hostile payload from costing time. */
const MAX_RAW_LENGTH = 64;

const DROP = 1;
const INVALID = 0;

/** For each ASCII code: the upper-case Latin letter or digit it stands for, DROP, or INVALID. */
const ASCII = new Uint8Array(128);
for (let c = 48; c <= 57; c++) ASCII[c] = c;
for (let c = 65; c <= 90; c++) ASCII[c] = c;
for (let c = 97; c <= 122; c++) ASCII[c] = c - 32;
for (const c of ' \t-.') ASCII[c.charCodeAt(0)] = DROP;

/**
 * Non-ASCII characters that are kept (as the Latin letter of the same shape) or dropped.
 *
 * Older Kazakhstan plates and many hand-typed hotlist rows use Cyrillic letters that look like
 * Latin ones; an OCR engine reading the plate cannot tell them apart either. Beyond the Russian
 * look-alikes, the Kazakh alphabet's І and Ү are drawn exactly like Latin I and Y.
 */
const OTHER = new Map<number, number>();
for (const [cyrillic, latin] of [
  ['АВЕКМНОРСТУХ', 'ABEKMHOPCTYX'],
  ['авекмнорстух', 'ABEKMHOPCTYX'],
  ['ІіҮү', 'IIYY'],
]) {
  for (let i = 0; i < cyrillic.length; i++) OTHER.set(cyrillic.charCodeAt(i), latin.charCodeAt(i));
}
// Separators as vendors and people write them: no-break and typographic spaces, typographic
// hyphens and dashes, the minus sign, the middle dot.
for (const c of [
  0xa0, 0x2007, 0x2009, 0x200a, 0x202f, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2212, 0xb7,
]) {
  OTHER.set(c, DROP);
}

/**
 * The plate in upper-case Latin letters and digits without separators, or undefined if `raw` is
 * not a plate (empty, too short or long, or containing anything but letters, digits, Cyrillic
 * look-alikes, spaces, dashes and dots).
 */
export function normalisePlate(raw: string): string | undefined {
  const length = raw.length;
  if (length < MIN_PLATE_LENGTH || length > MAX_RAW_LENGTH) return undefined;
  // Vendors mostly send the canonical form already; returning the same string then costs no
  // allocation and keeps its cached hash for the Map lookups that follow.
  let canonical = length <= MAX_PLATE_LENGTH;
  for (let i = 0; canonical && i < length; i++) {
    const c = raw.charCodeAt(i);
    canonical = (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
  }
  if (canonical) return raw;

  const out: number[] = [];
  for (let i = 0; i < length; i++) {
    const c = raw.charCodeAt(i);
    const mapped = c < 128 ? ASCII[c] : (OTHER.get(c) ?? INVALID);
    if (mapped === INVALID) return undefined;
    if (mapped === DROP) continue;
    if (out.length === MAX_PLATE_LENGTH) return undefined;
    out.push(mapped);
  }
  return out.length < MIN_PLATE_LENGTH ? undefined : String.fromCharCode(...out);
}

/**
 * Characters ANPR engines are known to swap on plates: the shapes differ by a stroke or a corner
 * that blur, low resolution, dirt or a bolt head hides. Each class folds to its first character.
 * Pairs such as 4/A, 7/T or U/V are left out on purpose: every class widens what counts as the
 * same plate across the whole hotlist, and a single such misread is still found as one edit.
 */
export const CONFUSABLE_CLASSES: readonly string[] = ['0ODQ', '1IL', '8B', '5S', '2Z', '6G'];

/** Number of distinct skeleton symbols: 10 digits and the 17 letters not folded into a digit. */
export const SKELETON_SYMBOLS = 27;

/**
 * For each normalised character code ('0'–'9', 'A'–'Z'): its skeleton symbol, 1..27. Zero is
 * left unused so that a polynomial hash of symbols tells "0X" from "X".
 */
export const SYMBOL = new Uint8Array(91);
/** For each symbol: the character that stands for it in a skeleton string. */
const SYMBOL_CHAR = new Uint16Array(SKELETON_SYMBOLS + 1);
{
  let next = 1;
  for (const c of '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ') {
    const cls = CONFUSABLE_CLASSES.find((k) => k.includes(c));
    const head = cls ? cls.charCodeAt(0) : c.charCodeAt(0);
    if (SYMBOL[head] === 0) {
      SYMBOL[head] = next;
      SYMBOL_CHAR[next] = head;
      next++;
    }
    SYMBOL[c.charCodeAt(0)] = SYMBOL[head];
  }
  if (next !== SKELETON_SYMBOLS + 1) throw new Error('confusable classes do not leave 27 symbols');
}

/** The skeleton of a normalised plate: the plate with every confusable class folded to one
 * character, e.g. "SO1B" → "5018". Two readings with the same skeleton differ only by
 * confusable characters. */
export function plateSkeleton(normalised: string): string {
  let out = '';
  for (let i = 0; i < normalised.length; i++) {
    out += String.fromCharCode(SYMBOL_CHAR[SYMBOL[normalised.charCodeAt(i)]]);
  }
  return out;
}

/** Writes the skeleton symbols of a normalised plate into `into` and returns their count. */
export function skeletonSymbols(normalised: string, into: Uint8Array, offset = 0): number {
  const n = normalised.length;
  for (let i = 0; i < n; i++) into[offset + i] = SYMBOL[normalised.charCodeAt(i)];
  return n;
}

/**
 * Whether two texts name one plate as the matcher tells plates apart: the same once normalised
 * and with the characters OCR engines confuse folded together ("700KZZ02", "700 kz2 О2" and
 * "7OOKZZO2" are one plate). A plate one edit away is another plate. False when either text is
 * not a plate at all.
 */
export function isSamePlate(a: string, b: string): boolean {
  const left = normalisePlate(a);
  const right = normalisePlate(b);
  if (left === undefined || right === undefined) return false;
  return plateSkeleton(left) === plateSkeleton(right);
}
