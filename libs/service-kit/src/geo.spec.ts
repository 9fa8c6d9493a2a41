import { distanceMetres } from './geo';

describe('distanceMetres', () => {
  it('measures a thousandth of a degree of latitude as about 111 m, and a point to itself as 0', () => {
    expect(distanceMetres({ lat: 43.25, lon: 76.9 }, { lat: 43.251, lon: 76.9 })).toBeCloseTo(111.2, 0);
    expect(distanceMetres({ lat: 43.25, lon: 76.9 }, { lat: 43.25, lon: 76.9 })).toBe(0);
  });

  it('measures Almaty to Astana as about 970 km', () => {
    const km = distanceMetres({ lat: 43.2389, lon: 76.8897 }, { lat: 51.1282, lon: 71.4307 }) / 1000;
    expect(km).toBeGreaterThan(960);
    expect(km).toBeLessThan(980);
  });

  it('stays finite for antipodal points', () => {
    expect(distanceMetres({ lat: 0, lon: 0 }, { lat: 0, lon: 180 })).toBeCloseTo(Math.PI * 6_371_008.8, -1);
  });
});
