/**
 * A square grid in degrees: cells are `g<size>:<row>:<col>` with row = ⌊lat / size⌋ and
 * col = ⌊lon / size⌋. At Kazakhstan's latitudes 0.01° is about 1.1 km north–south and 0.75–0.8 km
 * east–west: blocks of a few streets.
 */
export const DEFAULT_CELL_DEG = 0.01;

export function cellOf(lat: number, lon: number, size = DEFAULT_CELL_DEG): string {
  return `g${size}:${Math.floor(lat / size + 1e-9)}:${Math.floor(lon / size + 1e-9)}`;
}

export interface CellBounds {
  south: number;
  west: number;
  north: number;
  east: number;
}

export function boundsOf(cellId: string): CellBounds {
  const match = /^g([0-9.]+):(-?\d+):(-?\d+)$/.exec(cellId);
  if (!match) throw new RangeError(`${cellId} is not a grid cell`);
  const size = Number(match[1]);
  const row = Number(match[2]);
  const col = Number(match[3]);
  const r = (x: number) => Math.round(x * 1e9) / 1e9;
  return { south: r(row * size), west: r(col * size), north: r((row + 1) * size), east: r((col + 1) * size) };
}

/** The cell as a closed GeoJSON ring, counter-clockwise (RFC 7946), [lon, lat] positions. */
export function cellPolygon(cellId: string) {
  const b = boundsOf(cellId);
  return {
    type: 'Polygon' as const,
    coordinates: [
      [
        [b.west, b.south],
        [b.east, b.south],
        [b.east, b.north],
        [b.west, b.north],
        [b.west, b.south],
      ],
    ],
  };
}
