import { isSamePlate, normalisePlate } from '@safecity/plates';
import type { VisualCheck } from './state-machine';

/** What the hit being verified says about the vehicle: from its plate-match sources. */
export interface PlateHitEvidence {
  /** The plates as listed on the hotlists the sources matched (or as read, where none is known). */
  listedPlates: string[];
  /** The camera analytics' reading of the vehicle, per source, where it gave one. */
  vehicles: { make?: string | null; colour?: string | null }[];
}

export type VehicleField = 'make' | 'colour';

export type VisualCheckReview =
  | { ok: true; vehicleMismatch: VehicleField[] }
  | { ok: false; field: 'visualCheck.plate' | 'reason'; reason: string };

/** Plate hits' sources as stored: `details.listedPlate`, `details.plate`, `details.vehicle`. */
export function plateHitEvidence(sources: { details: Record<string, unknown> }[]): PlateHitEvidence {
  const listedPlates: string[] = [];
  const vehicles: PlateHitEvidence['vehicles'] = [];
  for (const { details } of sources) {
    const listed = text(details['listedPlate']) || text(details['plate']);
    if (listed && !listedPlates.includes(listed)) listedPlates.push(listed);
    const vehicle = details['vehicle'] as { make?: unknown; colour?: unknown } | null | undefined;
    if (vehicle) vehicles.push({ make: text(vehicle.make), colour: text(vehicle.colour) });
  }
  return { listedPlates, vehicles };
}

/**
 * Whether an operator's visual check can verify a plate hit. The plate seen must be the listed
 * plate, compared as the matcher compares plates (separators, Cyrillic look-alikes and characters
 * OCR engines confuse do not count; one edit does): a check that shows another plate says the hit
 * was wrong, and only dismissing it fits. Make and colour are compared with the camera's reading
 * of the vehicle, which vendors' analytics often get wrong and which a thief changes with the
 * plates: a difference does not refuse the verification, but is recorded with it, and the
 * operator must say why they verify it anyway (`reason`).
 */
export function reviewVisualCheck(
  check: VisualCheck,
  hit: PlateHitEvidence,
  reason: string | undefined,
): VisualCheckReview {
  if (normalisePlate(check.plate) === undefined) {
    return {
      ok: false,
      field: 'visualCheck.plate',
      reason: `${JSON.stringify(check.plate)} is not a plate: 2–12 letters and digits, spaces and dashes allowed`,
    };
  }
  if (hit.listedPlates.length > 0 && !hit.listedPlates.some((listed) => isSamePlate(listed, check.plate))) {
    return {
      ok: false,
      field: 'visualCheck.plate',
      reason:
        `the plate seen, ${JSON.stringify(check.plate)}, is not the hotlisted plate ${hit.listedPlates.join(' or ')} ` +
        '(compared with the characters OCR engines confuse folded together): a visual check of another ' +
        'plate cannot verify this hit; dismiss it if the hit was a false alarm',
    };
  }
  const vehicleMismatch = (['make', 'colour'] as const).filter((field) => {
    const read = hit.vehicles.map((v) => vehicleWord(v[field])).filter((word) => word !== '');
    return read.length > 0 && !read.includes(vehicleWord(check[field]));
  });
  if (vehicleMismatch.length > 0 && !reason?.trim()) {
    const seen = vehicleMismatch.map((field) => `${field} ${JSON.stringify(check[field])}`).join(', ');
    const read = vehicleMismatch
      .map((field) => `${field} ${[...new Set(hit.vehicles.map((v) => v[field]).filter(Boolean))].join('/')}`)
      .join(', ');
    return {
      ok: false,
      field: 'reason',
      reason: `the vehicle seen (${seen}) differs from the camera's reading (${read}): say why you verify the hit anyway, e.g. the plates were moved to another car`,
    };
  }
  return { ok: true, vehicleMismatch };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

const COLOUR_SPELLINGS: Record<string, string> = { gray: 'grey' };

/** Case, spacing and the two spellings of grey do not make a different make or colour. */
function vehicleWord(value: string | null | undefined): string {
  const word = (value ?? '').normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
  return COLOUR_SPELLINGS[word] ?? word;
}
