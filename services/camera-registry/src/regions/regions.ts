import { KZ_REGIONS } from '@safecity/security';

/**
 * Generous envelopes of the 17 regions and 3 cities of republican significance (the shared
 * catalog of codes and names is `KZ_REGIONS`), used to reject coordinates that cannot belong to
 * the region. [minLon, minLat, maxLon, maxLat]
 */
const ENVELOPES: Record<string, [number, number, number, number]> = {
  ALA: [76.7, 43.1, 77.2, 43.45],
  AST: [71.2, 50.95, 71.75, 51.35],
  SHY: [69.4, 42.15, 69.8, 42.5],
  ABY: [76.5, 46.5, 84.0, 51.0],
  AKM: [68.5, 50.0, 75.5, 53.7],
  AKT: [54.5, 45.5, 63.5, 51.3],
  ALM: [73.5, 42.8, 80.5, 46.5],
  ATY: [46.5, 45.0, 56.0, 49.0],
  VOS: [80.0, 47.5, 87.4, 51.6],
  ZHA: [69.0, 42.2, 76.0, 46.0],
  ZHT: [75.5, 43.8, 82.7, 47.0],
  KAR: [69.5, 45.5, 78.5, 51.0],
  KUS: [60.0, 48.5, 66.0, 54.5],
  KZY: [58.5, 43.3, 67.5, 47.5],
  MAN: [50.0, 41.2, 56.5, 46.0],
  PAV: [72.5, 50.5, 79.5, 54.0],
  SEV: [65.0, 52.5, 74.0, 55.5],
  YUZ: [65.5, 40.5, 71.5, 46.0],
  ULT: [63.5, 45.0, 72.0, 50.5],
  ZAP: [46.5, 48.0, 55.5, 51.8],
};

export interface RegionDefinition {
  code: string;
  name: string;
  kind: 'region' | 'city';
  /** [minLon, minLat, maxLon, maxLat] */
  bbox: [number, number, number, number];
}

export const REGIONS: readonly RegionDefinition[] = KZ_REGIONS.map((region) => {
  const bbox = ENVELOPES[region.code];
  if (!bbox) throw new Error(`no envelope for region ${region.code}`);
  return { code: region.code, name: region.name, kind: region.kind, bbox };
});

/** Kazakhstan's envelope; coordinates outside it cannot be a camera of the platform. */
export const KAZAKHSTAN_BBOX: [number, number, number, number] = [46.4, 40.5, 87.4, 55.5];

const byCode = new Map(REGIONS.map((r) => [r.code, r]));

export function findRegion(code: string): RegionDefinition | undefined {
  return byCode.get(code);
}

export function insideBbox(
  [minLon, minLat, maxLon, maxLat]: readonly number[],
  lat: number,
  lon: number,
): boolean {
  return lat >= minLat && lat <= maxLat && lon >= minLon && lon <= maxLon;
}

/**
 * Why a camera of `regionCode` cannot stand at these coordinates, or null if it can: the rule
 * shared by registration, updates and bulk import.
 */
export function locationProblem(regionCode: string, lat: number, lon: number): string | null {
  if (!insideBbox(KAZAKHSTAN_BBOX, lat, lon)) return 'coordinates are outside Kazakhstan';
  const region = findRegion(regionCode);
  if (region && !insideBbox(region.bbox, lat, lon)) return `coordinates are outside region ${regionCode}`;
  return null;
}
