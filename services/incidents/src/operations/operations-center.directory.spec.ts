import { OperationsCenterDirectory } from './operations-center.directory';

describe('operations center directory', () => {
  const city = {
    id: 'city',
    name: 'Almaty city center',
    regionCode: 'ALA',
    districtCode: null,
    coverage: { minLon: 76.7, minLat: 43.1, maxLon: 77.1, maxLat: 43.4 },
  };
  const district = {
    id: 'almaly',
    name: 'Almaly',
    regionCode: 'ALA',
    districtCode: 'ALA-ALMALY',
    coverage: { minLon: 76.9, minLat: 43.24, maxLon: 76.95, maxLat: 43.27 },
  };

  it('routes a location to the most specific center covering it, within the region', () => {
    const directory = new OperationsCenterDirectory();
    directory.replace([city, district]);
    expect(directory.covering('ALA', 43.25, 76.92)?.id).toBe('almaly');
    expect(directory.covering('ALA', 43.3, 77.0)?.id).toBe('city');
    expect(directory.covering('ALA', 50, 70)).toBeNull();
    expect(directory.covering('AST', 43.25, 76.92)).toBeNull();
  });
});
