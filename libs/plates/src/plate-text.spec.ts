import { CONFUSABLE_CLASSES, isSamePlate, normalisePlate, plateSkeleton } from './plate-text';

describe('normalisePlate', () => {
  it('returns a canonical plate as it is', () => {
    expect(normalisePlate('123ABC02')).toBe('123ABC02');
    expect(normalisePlate('A123BCD')).toBe('A123BCD');
  });

  it('upper-cases and drops spaces, dashes and dots', () => {
    expect(normalisePlate('123 abc 02')).toBe('123ABC02');
    expect(normalisePlate(' 123-ABC.02 ')).toBe('123ABC02');
    expect(normalisePlate('123\u00a0ABC\u201302')).toBe('123ABC02');
  });

  it('maps Cyrillic look-alikes, upper and lower case, to Latin', () => {
    expect(normalisePlate('АВЕКМНОРСТУХ')).toBe('ABEKMHOPCTYX');
    expect(normalisePlate('авекмнорстух')).toBe('ABEKMHOPCTYX');
    expect(normalisePlate('123 АВС 02')).toBe('123ABC02');
    expect(normalisePlate('а 123 вс')).toBe('A123BC');
    expect(normalisePlate('Ү777Іі')).toBe('Y777II');
  });

  it('rejects what is not a plate', () => {
    expect(normalisePlate('')).toBeUndefined();
    expect(normalisePlate('  ')).toBeUndefined();
    expect(normalisePlate('A')).toBeUndefined();
    expect(normalisePlate('A -')).toBeUndefined();
    expect(normalisePlate('123ABC0212345')).toBeUndefined();
    expect(normalisePlate('123 ABC 02 123 45')).toBeUndefined();
    expect(normalisePlate('x'.repeat(10_000))).toBeUndefined();
    expect(normalisePlate('123_ABC')).toBeUndefined();
    expect(normalisePlate('123ЖЖЖ02')).toBeUndefined();
    expect(normalisePlate('12🚗34')).toBeUndefined();
  });

  it('accepts 2 to 12 characters', () => {
    expect(normalisePlate('AB')).toBe('AB');
    expect(normalisePlate('1234567890AB')).toBe('1234567890AB');
    expect(normalisePlate('1234 5678 90ab')).toBe('1234567890AB');
  });
});

describe('plateSkeleton', () => {
  it.each(CONFUSABLE_CLASSES.map((cls) => [cls]))('folds every character of %s to one', (cls) => {
    const skeletons = new Set([...cls].map((c) => plateSkeleton(`7${c}7`)));
    expect(skeletons.size).toBe(1);
  });

  it('keeps the classes apart from each other and from other characters', () => {
    const heads = CONFUSABLE_CLASSES.map((cls) => plateSkeleton(cls[0]));
    expect(new Set(heads).size).toBe(CONFUSABLE_CLASSES.length);
    const others = [...'3479ACEFHJKMNPRTUVWXY'].map((c) => plateSkeleton(c));
    expect(new Set([...heads, ...others]).size).toBe(heads.length + others.length);
  });

  it('folds a whole plate', () => {
    expect(plateSkeleton('SO1B')).toBe('5018');
    expect(plateSkeleton('123ABC02')).toBe(plateSkeleton('IZ3A8CO2'));
    expect(plateSkeleton('123ABC02')).not.toBe(plateSkeleton('123ABC03'));
  });
});

describe('isSamePlate', () => {
  it('is true for spellings of one plate: case, separators, Cyrillic look-alikes, confusable characters', () => {
    expect(isSamePlate('700KZZ02', '700KZZ02')).toBe(true);
    expect(isSamePlate('700KZZ02', '700 kzz-02')).toBe(true);
    expect(isSamePlate('700KZZ02', '7OO KZ2 O2')).toBe(true);
    expect(isSamePlate('123ABC02', '123 АВС 02')).toBe(true);
  });

  it('is false for another plate, one edit away or entirely different, and for what is no plate', () => {
    expect(isSamePlate('700KZZ02', '999XYZ77')).toBe(false);
    expect(isSamePlate('700KZZ02', '700KZZ03')).toBe(false);
    expect(isSamePlate('700KZZ02', '700KZZ023')).toBe(false);
    expect(isSamePlate('700KZZ02', '70KZZ02')).toBe(false);
    expect(isSamePlate('700KZZ02', '')).toBe(false);
    expect(isSamePlate('700KZZ02', '700KZZ02!')).toBe(false);
  });
});
