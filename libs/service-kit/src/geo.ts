/** Mean Earth radius (IUGG). */
export const EARTH_RADIUS_METRES = 6_371_008.8;

export interface LatLon {
  lat: number;
  lon: number;
}

/** Great-circle distance in metres (haversine): ample for "the same place" within tens of metres. */
export function distanceMetres(a: LatLon, b: LatLon): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_METRES * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The same distance as a SQL expression, over the given column and parameter expressions, so the
 * database and the services agree on what "within N metres" means.
 */
export function distanceMetresSql(a: { lat: string; lon: string }, b: { lat: string; lon: string }): string {
  return (
    `(2 * ${EARTH_RADIUS_METRES} * asin(least(1, sqrt(power(sin(radians(${b.lat} - ${a.lat}) / 2), 2)` +
    ` + cos(radians(${a.lat})) * cos(radians(${b.lat})) * power(sin(radians(${b.lon} - ${a.lon}) / 2), 2)))))`
  );
}
