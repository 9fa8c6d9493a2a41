import { en } from '../web/src/i18n/en';
import { kk } from '../web/src/i18n/kk';
import { ru } from '../web/src/i18n/ru';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('console messages', () => {
  it.each([
    ['ru', ru],
    ['kk', kk],
  ] as const)('%s has every English key, non-empty, with the same placeholders', (_, dictionary) => {
    expect(Object.keys(dictionary).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
      const translated = dictionary[key as keyof typeof en];
      expect({ key, empty: translated.trim() === '' }).toEqual({ key, empty: false });
      expect({ key, placeholders: placeholders(translated) }).toEqual({
        key,
        placeholders: placeholders(text),
      });
    }
  });

  it('translates the screens’ words, not only copies them', () => {
    // Names (languages, PTZ, cities) read the same; everything else must differ from English.
    const same = (dictionary: Record<string, string>) =>
      Object.keys(en).filter(
        (key) => dictionary[key] === en[key as keyof typeof en] && !/^(lang|region)\./.test(key),
      );
    expect(same(ru).length).toBeLessThan(8);
    expect(same(kk).length).toBeLessThan(8);
  });
});
