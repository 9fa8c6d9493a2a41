import { addressKey } from './address';

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
