import { incidents as contract } from '@safecity/contracts';
import { hasAnyRole, type Principal, type RegionScope } from '@safecity/security';
import { SourceKindNames } from '../incidents/enum-names';

const K = contract.IncidentSourceKind;

const ALL_KINDS = [
  K.INCIDENT_SOURCE_KIND_PLATE_MATCH,
  K.INCIDENT_SOURCE_KIND_FACE_MATCH,
  K.INCIDENT_SOURCE_KIND_BEHAVIOUR_ALERT,
  K.INCIDENT_SOURCE_KIND_CITIZEN_REPORT,
  K.INCIDENT_SOURCE_KIND_OPERATOR,
  K.INCIDENT_SOURCE_KIND_CAMERA_STATUS,
];

/**
 * Which incidents a role sees, by what led to them. Operators, supervisors and admins see all.
 * Analysts see everything but face matches, which stay with the people who verify them.
 * Region admins (the akimat's integrators) see the technical incidents of their cameras.
 * Returns null for "every kind".
 */
export function visibleSourceKinds(principal: Principal): number[] | null {
  if (hasAnyRole(principal, ['operator', 'supervisor', 'admin', 'service'])) return null;
  const kinds = new Set<number>();
  if (principal.roles.includes('analyst')) {
    for (const kind of ALL_KINDS) if (kind !== K.INCIDENT_SOURCE_KIND_FACE_MATCH) kinds.add(kind);
  }
  if (principal.roles.includes('region-admin')) kinds.add(K.INCIDENT_SOURCE_KIND_CAMERA_STATUS);
  return [...kinds];
}

/** The same rule applied to the kind names the REST views and the stream carry. */
export function visibleKindNames(principal: Principal): Set<string> | null {
  const kinds = visibleSourceKinds(principal);
  return kinds === null ? null : new Set(kinds.map((kind) => SourceKindNames.toName(kind)));
}

/** Whether an incident is one the caller may see: in its regions, of a kind its roles see. */
export function isVisibleIncident(
  incident: { regionCode: string; sourceKind: number },
  scope: RegionScope,
  kinds: readonly number[] | null,
): boolean {
  return scope.includes(incident.regionCode) && (kinds === null || kinds.includes(incident.sourceKind));
}
