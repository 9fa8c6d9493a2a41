import { incidents as contract } from '@safecity/contracts';

/**
 * The REST API speaks enum values as short kebab-case names (`wanted-vehicle`, `on-scene`), the
 * contract as numbers; these maps are generated from the contract so the two cannot drift.
 */
function namesOf<E extends Record<string, string | number>>(
  enumObject: E,
  prefix: string,
): { toName(value: number): string; fromName(name: string): number | undefined; names: string[] } {
  const byValue = new Map<number, string>();
  const byName = new Map<string, number>();
  for (const [key, value] of Object.entries(enumObject)) {
    if (typeof value !== 'number' || value <= 0) continue;
    const name = key.slice(prefix.length).toLowerCase().replace(/_/g, '-');
    byValue.set(value, name);
    byName.set(name, value);
  }
  return {
    toName: (value) => byValue.get(value) ?? 'unspecified',
    fromName: (name) => byName.get(name),
    names: [...byName.keys()],
  };
}

export const StateNames = namesOf(contract.IncidentState, 'INCIDENT_STATE_');
export const PriorityNames = namesOf(contract.IncidentPriority, 'INCIDENT_PRIORITY_');
export const CategoryNames = namesOf(contract.IncidentCategory, 'INCIDENT_CATEGORY_');
export const SourceKindNames = namesOf(contract.IncidentSourceKind, 'INCIDENT_SOURCE_KIND_');
export const ResolutionNames = namesOf(contract.Resolution, 'RESOLUTION_');
export const ChangeKindNames = namesOf(contract.IncidentChangeKind, 'INCIDENT_CHANGE_KIND_');
export const ChannelNames = namesOf(contract.CitizenReportChannel, 'CITIZEN_REPORT_CHANNEL_');
