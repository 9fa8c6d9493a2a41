import { RegionScope, type Principal } from '@safecity/security';
import { UnprocessableFieldException } from '@safecity/service-kit';

/** The caller's scope, refusing a region outside it as the command's `regionCode`. */
export function scopeIncluding(actor: Principal, regionCode: string): RegionScope {
  const scope = RegionScope.of(actor);
  if (!scope.includes(regionCode)) {
    throw new UnprocessableFieldException('regionCode', `region ${regionCode} is outside your regions`);
  }
  return scope;
}
