import { isRegionCode, type RegionScope } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { CategoryNames } from '../incidents/enum-names';
import type { SopStep } from './checklist';
import type { SopDeviationEntry } from './sops.repository';
import type { SopRow } from './sop-deviations';

/**
 * Standard operating procedures: a versioned checklist per incident category. The national one is
 * edited by national roles; a region may keep its own version, which its incidents get instead.
 * An incident keeps the version in force when it opened; steps done out of order, and steps never
 * done by resolution, are recorded as deviations for supervisors to see.
 */
export interface Sop {
  id: string;
  category: string;
  /** Null for the national checklist; the region whose own version this is otherwise. */
  regionCode: string | null;
  version: number;
  steps: SopStep[];
  editedBy: string;
  editedAt: string;
}

export const toSop = (row: SopRow): Sop => ({
  ...row,
  category: CategoryNames.toName(row.category),
  editedAt: new Date(row.editedAt).toISOString(),
});

/** An incident's checklist (null when its category has none), what is done and its deviations. */
export interface SopProgress {
  sop: { id: string; version: number } | null;
  steps: (SopStep & { done: { by: string; at: string; note: string } | null })[];
  deviations: Pick<SopDeviationEntry, 'stepId' | 'kind' | 'actor' | 'at'>[];
}

/** The category by its name; an unknown one has no checklist. */
export function sopCategory(name: string): number {
  const category = CategoryNames.fromName(name);
  if (category === undefined) throw new NotFoundError(`no incident category ${name}`);
  return category;
}

/** Another region, or none at all, is answered as missing. */
export function checkRegionInScope(regionCode: string, scope: RegionScope): void {
  if (!isRegionCode(regionCode) || !scope.includes(regionCode))
    throw new NotFoundError(`region ${regionCode} not found`);
}
