import { isUuid } from './identifiers';

describe('isUuid', () => {
  it('accepts a UUID in its text form, in either case', () => {
    expect(isUuid('0f8fad5b-d9cb-469f-a165-70867728950e')).toBe(true);
    expect(isUuid('0F8FAD5B-D9CB-469F-A165-70867728950E')).toBe(true);
  });

  it('refuses other text, other types and UUIDs with anything around them', () => {
    for (const value of [
      '',
      '0f8fad5b-d9cb-469f-a165-70867728950',
      '0f8fad5bd9cb469fa16570867728950e',
      ' 0f8fad5b-d9cb-469f-a165-70867728950e',
      '0f8fad5b-d9cb-469f-a165-70867728950e\n',
      'g f8fad5b-d9cb-469f-a165-70867728950e',
      undefined,
      null,
      42,
    ]) {
      expect(isUuid(value)).toBe(false);
    }
  });

  it('with lowerCase, refuses upper-case digits', () => {
    expect(isUuid('0f8fad5b-d9cb-469f-a165-70867728950e', { lowerCase: true })).toBe(true);
    expect(isUuid('0F8FAD5B-d9cb-469f-a165-70867728950e', { lowerCase: true })).toBe(false);
  });
});
