import { Injectable } from '@nestjs/common';

export interface OperationsCenterArea {
  id: string;
  name: string;
  regionCode: string;
  districtCode: string | null;
  coverage: { minLon: number; minLat: number; maxLon: number; maxLat: number };
}

/**
 * The operations centers and the areas they cover, as camera-registry (which owns them) lists
 * them; held in memory because every new incident asks, and refreshed by OperationsCenterSync.
 */
@Injectable()
export class OperationsCenterDirectory {
  private byRegion = new Map<string, OperationsCenterArea[]>();
  private loadedAt: Date | null = null;

  replace(centers: readonly OperationsCenterArea[]): void {
    const byRegion = new Map<string, OperationsCenterArea[]>();
    for (const center of centers) {
      const list = byRegion.get(center.regionCode) ?? [];
      list.push(center);
      byRegion.set(center.regionCode, list);
    }
    // The most specific (smallest) area first, as camera-registry's own `covering` orders them.
    for (const list of byRegion.values())
      list.sort((a, b) => area(a) - area(b) || a.name.localeCompare(b.name));
    this.byRegion = byRegion;
    this.loadedAt = new Date();
  }

  /** The center of the region whose area holds the point, the most specific first; null if none. */
  covering(regionCode: string, lat: number, lon: number): OperationsCenterArea | null {
    for (const center of this.byRegion.get(regionCode) ?? []) {
      const c = center.coverage;
      if (lon >= c.minLon && lon <= c.maxLon && lat >= c.minLat && lat <= c.maxLat) return center;
    }
    return null;
  }

  list(regionCode?: string): OperationsCenterArea[] {
    if (regionCode) return [...(this.byRegion.get(regionCode) ?? [])];
    return [...this.byRegion.values()].flat();
  }

  get lastLoadedAt(): Date | null {
    return this.loadedAt;
  }
}

const area = (center: OperationsCenterArea) =>
  (center.coverage.maxLon - center.coverage.minLon) * (center.coverage.maxLat - center.coverage.minLat);
