import fc from 'fast-check';
import { CsvSyntaxError, decodeUtf8, parseCsv } from './csv';

const fields = (text: string) => parseCsv(text).map((r) => r.fields);
const lines = (text: string) => parseCsv(text).map((r) => r.line);

function syntaxError(run: () => unknown): CsvSyntaxError {
  try {
    run();
  } catch (error) {
    if (error instanceof CsvSyntaxError) return error;
    throw error;
  }
  throw new Error('expected a CsvSyntaxError');
}

describe('parseCsv', () => {
  it('reads plain records with their line numbers', () => {
    const text = 'a,b,c\n1,2,3\n4,5,6\n';
    expect(fields(text)).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
      ['4', '5', '6'],
    ]);
    expect(lines(text)).toEqual([1, 2, 3]);
  });

  it('reads the last record without a final line break', () => {
    expect(fields('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(fields('a,,c\n,,\n1,2,')).toEqual([
      ['a', '', 'c'],
      ['', '', ''],
      ['1', '2', ''],
    ]);
  });

  it('reads quoted fields with commas, escaped quotes and empty quotes', () => {
    expect(fields('"Abay Ave, 52","say ""hi""",""\n')).toEqual([['Abay Ave, 52', 'say "hi"', '']]);
  });

  it('treats CRLF, LF and a lone CR as line breaks', () => {
    const text = 'h\r\n1\r\n2\n3\r4\r\n';
    expect(fields(text)).toEqual([['h'], ['1'], ['2'], ['3'], ['4']]);
    expect(lines(text)).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps line breaks inside quotes and counts them for later records', () => {
    const text = 'name,address\r\n"x","line one\r\nline two\nline three"\r\ny,z\r\n';
    const records = parseCsv(text);
    expect(records[1]).toEqual({ line: 2, fields: ['x', 'line one\r\nline two\nline three'] });
    expect(records[2]).toEqual({ line: 5, fields: ['y', 'z'] });
  });

  it('drops a byte order mark and skips blank lines without losing count', () => {
    const text = '\uFEFFexternal_id,name\n\nch-1,a\n\r\nch-2,b\n\n';
    expect(fields(text)).toEqual([
      ['external_id', 'name'],
      ['ch-1', 'a'],
      ['ch-2', 'b'],
    ]);
    expect(lines(text)).toEqual([1, 3, 5]);
  });

  it('keeps a record holding one quoted empty field', () => {
    expect(fields('a\n""\nb')).toEqual([['a'], [''], ['b']]);
  });

  it('reads an empty text as no records', () => {
    expect(fields('')).toEqual([]);
    expect(fields('\uFEFF')).toEqual([]);
    expect(fields('\n\r\n')).toEqual([]);
  });

  it('names the line where an unterminated quote was opened', () => {
    const error = syntaxError(() => parseCsv('a,b\n1,2\n3,"never\nclosed\n4,5\n'));
    expect(error.line).toBe(3);
    expect(error.reason).toContain('never closed');
  });

  it('refuses text after a closing quote, naming its line', () => {
    const error = syntaxError(() => parseCsv('a\n"multi\nline"x\n'));
    expect(error.line).toBe(3);
    expect(error.reason).toContain('after a closing quote');
  });

  it('refuses a quote inside an unquoted field, naming its line', () => {
    const error = syntaxError(() => parseCsv('a,b\n1,2\n3,4 "inch"\n'));
    expect(error.line).toBe(3);
    expect(error.reason).toContain('quote inside an unquoted field');
  });
});

describe('decodeUtf8', () => {
  it('decodes UTF-8 with Cyrillic and Kazakh letters and drops a BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Абай даңғылы, Қазақстан')]);
    expect(decodeUtf8(bytes)).toBe('Абай даңғылы, Қазақстан');
  });

  it('names the first line that is not UTF-8 (a Windows-1251 export)', () => {
    const bytes = Buffer.concat([
      Buffer.from('external_id,name\r\nch-1,ok\r\n"ch-2","multi\nline"\r\nch-3,'),
      Buffer.from([0xc0, 0xe1, 0xe0, 0xe9]), // "Абай" in Windows-1251
      Buffer.from('\r\n'),
    ]);
    const error = syntaxError(() => decodeUtf8(bytes));
    expect(error.line).toBe(5);
    expect(error.reason).toContain('not valid UTF-8');
  });

  it('refuses UTF-16', () => {
    const error = syntaxError(() => decodeUtf8(Buffer.from('\uFEFFa,b', 'utf16le')));
    expect(error.line).toBe(1);
    expect(error.reason).toContain('UTF-16');
  });
});

describe('CSV reading of arbitrary input', () => {
  const outcome = (run: () => unknown) => {
    try {
      run();
      return 'ok';
    } catch (error) {
      if (error instanceof CsvSyntaxError && Number.isInteger(error.line) && error.line >= 1) return 'typed';
      throw error;
    }
  };

  it('never crashes on arbitrary bytes: a result or a CsvSyntaxError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(['ok', 'typed']).toContain(outcome(() => parseCsv(decodeUtf8(bytes))));
      }),
      { numRuns: 2_000 },
    );
  });

  it('never crashes on strings made of CSV metacharacters', () => {
    const alphabet = fc.constantFrom('"', ',', '\r', '\n', 'a', ' ', '\uFEFF', 'é');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }), (chars) => {
        expect(['ok', 'typed']).toContain(outcome(() => parseCsv(chars.join(''))));
      }),
      { numRuns: 5_000 },
    );
  });

  it('reads back what a correct writer wrote, with the right starting lines', () => {
    const cell = fc.string({
      unit: fc.constantFrom('"', ',', '\r\n', '\n', 'a', 'б', ' ', ';'),
      maxLength: 8,
    });
    const quote = (s: string) => (/[",\r\n]/.test(s) || s === '' ? `"${s.replace(/"/g, '""')}"` : s);
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        (rows) => {
          const text = rows.map((r) => r.map(quote).join(',')).join('\r\n');
          const records = parseCsv(text);
          expect(records.map((r) => r.fields)).toEqual(rows);
          let line = 1;
          rows.forEach((row, i) => {
            expect(records[i].line).toBe(line);
            line += 1 + row.join('').split(/\r\n|\n/).length - 1;
          });
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
