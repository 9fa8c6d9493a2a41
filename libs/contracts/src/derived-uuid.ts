import { hash } from 'node:crypto';

/**
 * How the 16 bytes of a SHA-256 of the name are laid out as a UUID. New ids use `v8`; the other
 * two are kept only for ids already issued under them, because consumers deduplicate by id:
 *
 * - `v8`: RFC 9562 version 8 (the version for custom, e.g. SHA-256, name-based ids). Match and
 *   alert ids: a replayed analysis raises the same id and so no second match.
 * - `sha256-version-5`: the version-5 bits over SHA-256 (RFC 9562 v5 is SHA-1). Detection ids and
 *   the event ids of their observations: a re-sent vendor event after an upgrade must map to the
 *   detection stored before it, and an inbox must recognise a redelivered observation.
 * - `sha256-version-5-variant-a`: the same, with the variant nibble always `a`. Picture ids: the
 *   pictures on disk are named by them and stored detections refer to them as `/media/<id>`.
 *
 * Changing the layout of ids already issued would re-key stored rows and defeat deduplication, so
 * a new kind of id takes `v8` and an existing kind keeps its layout for good.
 */
export type DerivedUuidLayout = 'v8' | 'sha256-version-5' | 'sha256-version-5-variant-a';

const HEX = Buffer.from('0123456789abcdef');
/** Where each of the 16 bytes goes in the 36 characters; the dashes stay where they are. */
const AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
const text = Buffer.from('00000000-0000-0000-0000-000000000000');

/**
 * The UUID of a name: the same name and layout always give the same id. Written into one reused
 * buffer (ingestion derives two per detection): one string per id rather than seven.
 */
export function derivedUuid(name: string, layout: DerivedUuidLayout = 'v8'): string {
  // One-shot hash over the text: the same bytes as a streamed digest, at a fraction of the cost.
  const digest = hash('sha256', name, 'buffer');
  digest[6] = (digest[6]! & 0x0f) | (layout === 'v8' ? 0x80 : 0x50);
  digest[8] =
    layout === 'sha256-version-5-variant-a' ? (digest[8]! & 0x0f) | 0xa0 : (digest[8]! & 0x3f) | 0x80;
  for (let i = 0; i < 16; i++) {
    text[AT[i]!] = HEX[digest[i]! >> 4]!;
    text[AT[i]! + 1] = HEX[digest[i]! & 0x0f]!;
  }
  return text.toString('latin1', 0, 36);
}
