import type { PrivacyMask, recognition } from '@safecity/contracts';

/** Ray casting: whether a point lies inside a closed polygon (normalised image coordinates). */
export function pointInPolygon(x: number, y: number, polygon: readonly { x: number; y: number }[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i]!;
    const b = polygon[j]!;
    if (a.y > y !== b.y > y && x < ((b.x - a.x) * (y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/**
 * Whether an observation lies inside one of the camera's privacy masks: the centre of its box is
 * inside a mask polygon. Observations without a box cannot be placed and are not masked.
 */
export function insidePrivacyMask(
  box: recognition.NormalizedBox | null | undefined,
  masks: readonly PrivacyMask[] | null | undefined,
): boolean {
  if (!box || !masks?.length) return false;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  return masks.some((mask) => (mask.polygon?.length ?? 0) >= 3 && pointInPolygon(cx, cy, mask.polygon));
}
