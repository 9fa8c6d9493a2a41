/**
 * A strict RFC 4180 reader. Written here rather than taken from a package so that every record
 * knows the physical line it starts on (a quoted field may span lines), which is what an akimat
 * integrator needs to find a bad row in a spreadsheet export.
 *
 * Accepted beyond the RFC, because spreadsheets produce them: LF and lone CR line breaks besides
 * CRLF, a UTF-8 byte order mark, blank lines (skipped) and no line break after the last record.
 */

export interface CsvRecord {
  /** 1-based physical line the record starts on. */
  line: number;
  fields: string[];
}

/** The file is not CSV that can be read unambiguously; `line` is 1-based. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'CsvSyntaxError';
  }
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const BOM = 0xfeff;

/** Line breaks in text[from, to): CRLF counts once, lone CR and LF once each. */
function lineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) count++;
    else if (c === CR && text.charCodeAt(i + 1) !== LF) count++;
  }
  return count;
}

/** Yields records lazily, so a caller enforcing a row cap can stop without reading the rest. */
export function* readCsv(text: string): Generator<CsvRecord, void, undefined> {
  const n = text.length;
  let i = text.charCodeAt(0) === BOM ? 1 : 0;
  let line = 1;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let quoted = false;
    for (;;) {
      if (text.charCodeAt(i) === QUOTE) {
        quoted = true;
        const openedOn = line;
        let value = '';
        let from = i + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q < 0) {
            throw new CsvSyntaxError(openedOn, 'a quoted field is never closed (missing closing ")');
          }
          line += lineBreaks(text, from, q);
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(from, q + 1);
            from = q + 2;
            continue;
          }
          value += text.slice(from, q);
          i = q + 1;
          break;
        }
        const next = text.charCodeAt(i);
        if (i < n && next !== COMMA && next !== LF && next !== CR) {
          throw new CsvSyntaxError(
            line,
            'unexpected text after a closing quote (a quote inside a quoted field must be doubled: "")',
          );
        }
        fields.push(value);
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === COMMA || c === LF || c === CR) break;
          if (c === QUOTE) {
            throw new CsvSyntaxError(
              line,
              'a quote inside an unquoted field (quote the whole field and double the quote: "a ""b"" c")',
            );
          }
          j++;
        }
        fields.push(text.slice(i, j));
        i = j;
      }
      if (i >= n) break;
      const c = text.charCodeAt(i);
      if (c === COMMA) {
        i++;
        continue;
      }
      i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
      break;
    }
    if (fields.length === 1 && fields[0] === '' && !quoted) continue;
    yield { line: startLine, fields };
  }
}

export function parseCsv(text: string): CsvRecord[] {
  return [...readCsv(text)];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a file as UTF-8, dropping a byte order mark. Spreadsheets in Kazakhstan often save
 * Windows-1251 or UTF-16, which would otherwise turn Cyrillic names into mojibake; those are refused
 * naming the first line that is not UTF-8.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  if (
    bytes.length >= 2 &&
    ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
  ) {
    throw new CsvSyntaxError(1, 'the file is UTF-16; save it as UTF-8 (in Excel: "CSV UTF-8")');
  }
  try {
    return utf8.decode(bytes);
  } catch {
    throw new CsvSyntaxError(
      firstLineNotUtf8(bytes),
      'this line is not valid UTF-8 (Windows-1251?); save the file as UTF-8 (in Excel: "CSV UTF-8")',
    );
  }
}

/** Line breaks are single bytes that never occur inside a multi-byte UTF-8 sequence. */
function firstLineNotUtf8(bytes: Uint8Array): number {
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    const b = bytes[i];
    const end = i === bytes.length || b === LF || b === CR;
    if (!end) continue;
    try {
      utf8.decode(bytes.subarray(start, i));
    } catch {
      return line;
    }
    if (b === CR && bytes[i + 1] === LF) i++;
    start = i + 1;
    line++;
  }
  return line;
}
