import {
  KZ_REGIONS,
  REGION_CODES,
  isRegionCode,
  isWellFormedRegionCode,
  regionCode,
  resolveRegion,
} from './regions';

describe('region catalog', () => {
  it('has the 17 regions and 3 cities of Kazakhstan, each code once', () => {
    expect(KZ_REGIONS).toHaveLength(20);
    expect(new Set(REGION_CODES).size).toBe(20);
    expect(KZ_REGIONS.filter((r) => r.kind === 'city').map((r) => r.code)).toEqual(['ALA', 'AST', 'SHY']);
    expect([...REGION_CODES].sort()).toEqual(
      [
        'ALA',
        'AST',
        'SHY',
        'ABY',
        'AKM',
        'AKT',
        'ALM',
        'ATY',
        'VOS',
        'ZHA',
        'ZHT',
        'KAR',
        'KUS',
        'KZY',
        'MAN',
        'PAV',
        'SEV',
        'YUZ',
        'ULT',
        'ZAP',
      ].sort(),
    );
  });

  it('resolves every code, in any case, to itself', () => {
    for (const code of REGION_CODES) {
      expect(resolveRegion(code)?.code).toBe(code);
      expect(resolveRegion(code.toLowerCase())?.code).toBe(code);
      expect(isRegionCode(code)).toBe(true);
    }
    expect(isRegionCode('ala')).toBe(false);
  });

  it.each([
    ['almaty', 'ALA'],
    ['Almaty', 'ALA'],
    ['Alma-Ata', 'ALA'],
    ['Алматы', 'ALA'],
    ['almaty city', 'ALA'],
    ['almaty region', 'ALM'],
    ['Almaty Oblast', 'ALM'],
    ['Алматинская область', 'ALM'],
    ['Алматы облысы', 'ALM'],
    ['astana', 'AST'],
    ['Nur-Sultan', 'AST'],
    ['shymkent', 'SHY'],
    ['aktobe', 'AKT'],
    ['Aktobe Region', 'AKT'],
    ['east kazakhstan', 'VOS'],
    ['East Kazakhstan Region', 'VOS'],
    ['ВКО', 'VOS'],
    ['zhambyl', 'ZHA'],
    ['jetisu', 'ZHT'],
    ['karaganda', 'KAR'],
    ['Қарағанды облысы', 'KAR'],
    ['kostanay', 'KUS'],
    ['kyzylorda', 'KZY'],
    ['mangystau', 'MAN'],
    ['pavlodar', 'PAV'],
    ['north kazakhstan', 'SEV'],
    ['turkistan', 'YUZ'],
    ['south kazakhstan', 'YUZ'],
    ['ulytau', 'ULT'],
    ['west kazakhstan', 'ZAP'],
    ['abai', 'ABY'],
    ['akmola', 'AKM'],
    ['atyrau', 'ATY'],
  ])('resolves %p to %s', (input, code) => {
    expect(regionCode(input)).toBe(code);
  });

  it('does not let a designator change what a name means', () => {
    // "Astana region" is not a thing: Astana is a city, the region around it is Akmola.
    expect(resolveRegion('astana region')).toBeUndefined();
    expect(resolveRegion('aktobe city')).toBeUndefined();
  });

  it('names the input it cannot resolve', () => {
    expect(resolveRegion('atlantis')).toBeUndefined();
    expect(() => regionCode('atlantis')).toThrow(/"atlantis" is not a region of Kazakhstan/);
  });
});

describe('region code shape', () => {
  it('accepts 2 to 10 upper-case letters and digits, whether or not the catalog names them', () => {
    for (const code of ['ALA', 'X1', 'ABCDEFGHIJ', ...REGION_CODES])
      expect(isWellFormedRegionCode(code)).toBe(true);
  });

  it('refuses lower case, separators, other lengths and other types', () => {
    for (const value of ['ala', 'A', 'ABCDEFGHIJK', 'AL,A', 'ALA ', 'AL-A', '', undefined, null, 7]) {
      expect(isWellFormedRegionCode(value)).toBe(false);
    }
  });
});
