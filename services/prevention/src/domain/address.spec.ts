import { addressKey, distanceMetres } from './address';

describe('addressKey', () => {
  it('gives two spellings of one address the same key', () => {
    expect(addressKey('ул. Абая, д. 10, кв. 5')).toBe('абая 10 кв 5');
    expect(addressKey('Улица  АБАЯ 10 квартира 5')).toBe('абая 10 кв 5');
    expect(addressKey('мкрн Самал-2, 58')).toBe(addressKey('микрорайон самал 2 58'));
  });

  it('keeps different addresses apart and is null for nothing', () => {
    expect(addressKey('ул. Абая 10')).not.toBe(addressKey('ул. Абая 12'));
    expect(addressKey('')).toBeNull();
    expect(addressKey('  .,  ')).toBeNull();
    expect(addressKey(undefined)).toBeNull();
  });
});

describe('distanceMetres', () => {
  it('measures short distances', () => {
    // 0.001° of latitude is about 111 m.
    expect(distanceMetres({ lat: 43.25, lon: 76.9 }, { lat: 43.251, lon: 76.9 })).toBeCloseTo(111.2, 0);
    expect(distanceMetres({ lat: 43.25, lon: 76.9 }, { lat: 43.25, lon: 76.9 })).toBe(0);
  });
});
