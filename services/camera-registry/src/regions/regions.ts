/**
 * The 17 regions and 3 cities of republican significance of Kazakhstan, by their ISO 3166-2:KZ
 * subdivision codes (without the `KZ-` prefix). Bounding boxes are generous envelopes used to
 * reject coordinates that cannot belong to the region.
 */
export interface RegionDefinition {
  code: string;
  name: string;
  kind: 'region' | 'city';
  /** [minLon, minLat, maxLon, maxLat] */
  bbox: [number, number, number, number];
}

export const REGIONS: readonly RegionDefinition[] = [
  { code: 'ALA', name: 'Almaty', kind: 'city', bbox: [76.7, 43.1, 77.2, 43.45] },
  { code: 'AST', name: 'Astana', kind: 'city', bbox: [71.2, 50.95, 71.75, 51.35] },
  { code: 'SHY', name: 'Shymkent', kind: 'city', bbox: [69.4, 42.15, 69.8, 42.5] },
  { code: 'ABY', name: 'Abai Region', kind: 'region', bbox: [76.5, 46.5, 84.0, 51.0] },
  { code: 'AKM', name: 'Akmola Region', kind: 'region', bbox: [68.5, 50.0, 75.5, 53.7] },
  { code: 'AKT', name: 'Aktobe Region', kind: 'region', bbox: [54.5, 45.5, 63.5, 51.3] },
  { code: 'ALM', name: 'Almaty Region', kind: 'region', bbox: [73.5, 42.8, 80.5, 46.5] },
  { code: 'ATY', name: 'Atyrau Region', kind: 'region', bbox: [46.5, 45.0, 56.0, 49.0] },
  { code: 'VOS', name: 'East Kazakhstan Region', kind: 'region', bbox: [80.0, 47.5, 87.4, 51.6] },
  { code: 'ZHA', name: 'Jambyl Region', kind: 'region', bbox: [69.0, 42.2, 76.0, 46.0] },
  { code: 'ZHT', name: 'Jetisu Region', kind: 'region', bbox: [75.5, 43.8, 82.7, 47.0] },
  { code: 'KAR', name: 'Karaganda Region', kind: 'region', bbox: [69.5, 45.5, 78.5, 51.0] },
  { code: 'KUS', name: 'Kostanay Region', kind: 'region', bbox: [60.0, 48.5, 66.0, 54.5] },
  { code: 'KZY', name: 'Kyzylorda Region', kind: 'region', bbox: [58.5, 43.3, 67.5, 47.5] },
  { code: 'MAN', name: 'Mangystau Region', kind: 'region', bbox: [50.0, 41.2, 56.5, 46.0] },
  { code: 'PAV', name: 'Pavlodar Region', kind: 'region', bbox: [72.5, 50.5, 79.5, 54.0] },
  { code: 'SEV', name: 'North Kazakhstan Region', kind: 'region', bbox: [65.0, 52.5, 74.0, 55.5] },
  { code: 'YUZ', name: 'Turkistan Region', kind: 'region', bbox: [65.5, 40.5, 71.5, 46.0] },
  { code: 'ULT', name: 'Ulytau Region', kind: 'region', bbox: [63.5, 45.0, 72.0, 50.5] },
  { code: 'ZAP', name: 'West Kazakhstan Region', kind: 'region', bbox: [46.5, 48.0, 55.5, 51.8] },
];

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
