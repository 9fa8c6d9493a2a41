import { jsonNestsDeeperThan, MAX_JSON_DEPTH, pathOfNulCharacter } from './request-input';

describe('pathOfNulCharacter', () => {
  it('names the nested field, array item or key holding U+0000', () => {
    expect(pathOfNulCharacter({ subject: { name: 'A', notes: 'a\u0000b' } })).toBe('subject.notes');
    expect(pathOfNulCharacter({ media: [{ uri: 'ok' }, { uri: '\u0000' }] })).toBe('media.1.uri');
    expect(pathOfNulCharacter({ details: { 'k\u0000': 'v' } })).toBe('details.k\\u0000');
    expect(pathOfNulCharacter('x\u0000', 'id')).toBe('id');
    expect(pathOfNulCharacter(['a', 'b\u0000'], 'regions')).toBe('regions.1');
  });

  it('passes everything else, control characters other than NUL included', () => {
    expect(pathOfNulCharacter({ notes: 'line 1\nline 2\ttab', n: 1, b: true, z: null })).toBeUndefined();
    expect(pathOfNulCharacter(undefined)).toBeUndefined();
    expect(pathOfNulCharacter(Buffer.from([0, 1]))).toBeUndefined();
  });
});

describe('jsonNestsDeeperThan', () => {
  const nested = (depth: number) => Buffer.from('{"a":'.repeat(depth) + '1' + '}'.repeat(depth));

  it('finds nesting beyond the limit, objects and arrays alike', () => {
    expect(jsonNestsDeeperThan(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(jsonNestsDeeperThan(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
    expect(jsonNestsDeeperThan(Buffer.from('['.repeat(50_000) + ']'.repeat(50_000)), MAX_JSON_DEPTH)).toBe(
      true,
    );
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ notes: '[[[[{{{{ "\\" [[[[', list: [[1]] });
    expect(jsonNestsDeeperThan(Buffer.from(text), 3)).toBe(false);
  });
});
