import type { Principal } from '../principal';
import { isWellFormedRegionCode } from '../regions';

/** Raised when something is written to, or asked of, a region outside the caller's scope. */
export class RegionOutOfScopeError extends Error {
  constructor(readonly regionCode: string | null | undefined) {
    super(`region ${String(regionCode)} is outside the caller's scope`);
    this.name = 'RegionOutOfScopeError';
  }
}

/**
 * The regions a call may see and change. Built from the principal, never from request input, and
 * required by every scoped query helper, so forgetting it is a compile error rather than a leak.
 */
export class RegionScope {
  private constructor(
    readonly all: boolean,
    readonly regions: readonly string[],
    /** Whose scope this is, when it was built from a caller: the use case it is handed to checks it. */
    readonly caller?: Principal,
  ) {}

  static of(principal: Principal): RegionScope {
    const scope =
      principal.regions === 'all' ? RegionScope.allRegions() : RegionScope.only(principal.regions);
    return new RegionScope(scope.all, scope.regions, principal);
  }

  /** Every region: admins, platform services, retention. */
  static allRegions(): RegionScope {
    return new RegionScope(true, []);
  }

  /** Exactly these regions; an empty list sees nothing. */
  static only(regions: readonly string[]): RegionScope {
    for (const region of regions) {
      // The setting is a comma list: a code with a comma would smuggle in another region.
      if (!isWellFormedRegionCode(region))
        throw new RangeError(`invalid region code ${JSON.stringify(region)}`);
    }
    return new RegionScope(false, [...new Set(regions)].sort());
  }

  includes(regionCode: string | null | undefined): boolean {
    if (this.all) return true;
    return typeof regionCode === 'string' && this.regions.includes(regionCode);
  }

  /** Throws {@link RegionOutOfScopeError} unless the region is in scope (check before writes). */
  assertIncludes(regionCode: string | null | undefined): void {
    if (!this.includes(regionCode)) throw new RegionOutOfScopeError(regionCode);
  }

  /** The value of `app.regions` for row-level security: `*` or a comma list (empty sees nothing). */
  toSetting(): string {
    return this.all ? '*' : this.regions.join(',');
  }

  toString(): string {
    return this.all ? 'all regions' : `regions [${this.regions.join(', ')}]`;
  }
}
