/** Abbreviations that vary between call-takers and registries, folded to one spelling ('' drops the word). */
const FOLDS: ReadonlyMap<string, string> = new Map([
  // "Street" is the default kind of thoroughfare and often left out; avenues and the like are kept,
  // since a city may have an avenue and a street of one name.
  ...['улица', 'ул', 'street', 'st'].map((w): [string, string] => [w, '']),
  ...['проспект', 'пр-т', 'пр', 'просп', 'avenue', 'ave'].map((w): [string, string] => [w, 'пр']),
  ...['микрорайон', 'мкр', 'мкрн'].map((w): [string, string] => [w, 'мкр']),
  ...['квартира', 'кв', 'apartment', 'apt'].map((w): [string, string] => [w, 'кв']),
  ...['дом', 'д'].map((w): [string, string] => [w, '']),
]);

/**
 * The key two spellings of one address share: case, punctuation, spacing and common
 * abbreviations do not matter. Null for an empty address. Matching is exact on the key.
 */
export function addressKey(address: string | null | undefined): string | null {
  if (!address) return null;
  const text = address
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[.,;:"'«»()/\\#№-]+/g, ' ');
  const key = text
    .split(/\s+/)
    .filter(Boolean)
    .map((token) => FOLDS.get(token) ?? token)
    .filter(Boolean)
    .join(' ');
  return key.length > 0 ? key : null;
}
