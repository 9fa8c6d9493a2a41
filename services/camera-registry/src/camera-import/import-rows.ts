import { CsvSyntaxError, decodeUtf8, readCsv } from './csv';
import { CameraImportRejectedException, type ImportProblem } from './import-problems';

/** More cameras than any akimat runs in one video system; bigger inventories go in several files. */
export const MAX_IMPORT_ROWS = 50_000;

export interface ImportRow {
  /** CSV: the physical line the row starts on; JSON: the camera's 1-based position. */
  line: number;
  /** The camera under the property names of the registration API. */
  input: Record<string, unknown>;
  /**
   * Top-level properties the row sets. An existing camera keeps the current value of every other
   * one: an inventory file without a `tags` column must not wipe the tags, nor may any CSV wipe the
   * privacy masks, which CSV cannot express.
   */
  present: ReadonlySet<string>;
}

/** Names problems the way the integrator wrote the file: CSV columns or JSON properties. */
export interface FieldNaming {
  field(path: string): string;
  reason(text: string): string;
}

export interface ImportRows {
  rows: ImportRow[];
  naming: FieldNaming;
  /** Problems of single rows found while reading; the remaining rows are still validated. */
  problems: ImportProblem[];
}

function reject(line: number, field: string, reason: string): never {
  throw new CameraImportRejectedException([{ line, field, reason }]);
}

// ---- CSV -----------------------------------------------------------------------------------

export const CSV_COLUMNS = [
  'external_id',
  'name',
  'lat',
  'lon',
  'address',
  'district_code',
  'direction_deg',
  'field_of_view_deg',
  'mount_type',
  'capabilities',
  'tags',
  'lifecycle',
] as const;
type CsvColumn = (typeof CSV_COLUMNS)[number];
const REQUIRED_COLUMNS: readonly CsvColumn[] = ['external_id', 'name', 'lat', 'lon'];

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Anything that is not a plain decimal stays text, so the validator reports it as not a number. */
function number(raw: string): unknown {
  const s = raw.trim();
  return NUMBER.test(s) ? Number(s) : s;
}

// An empty cell clears an optional field, as `null` does in JSON.
const CELL: Record<CsvColumn, (raw: string) => unknown> = {
  external_id: (s) => s.trim(),
  name: (s) => s.trim(),
  lat: number,
  lon: number,
  address: (s) => s.trim() || null,
  district_code: (s) => s.trim() || null,
  direction_deg: (s) => (s.trim() ? number(s) : null),
  field_of_view_deg: (s) => (s.trim() ? number(s) : null),
  mount_type: (s) => s.trim() || null,
  capabilities: list,
  tags: list,
  lifecycle: (s) => s.trim() || null,
};

function list(raw: string): string[] {
  return raw
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

const COLUMN_PROPERTY: Record<CsvColumn, string> = {
  external_id: 'externalId',
  name: 'name',
  lat: 'location',
  lon: 'location',
  address: 'address',
  district_code: 'districtCode',
  direction_deg: 'directionDeg',
  field_of_view_deg: 'fieldOfViewDeg',
  mount_type: 'mountType',
  capabilities: 'capabilities',
  tags: 'tags',
  lifecycle: 'lifecycle',
};

const PATH_COLUMN: Record<string, string> = {
  externalId: 'external_id',
  location: 'lat,lon',
  'location.lat': 'lat',
  'location.lon': 'lon',
  districtCode: 'district_code',
  directionDeg: 'direction_deg',
  fieldOfViewDeg: 'field_of_view_deg',
  mountType: 'mount_type',
};
const CAMEL_PROPERTY = /\b(externalId|districtCode|directionDeg|fieldOfViewDeg|mountType)\b/g;

export const CSV_NAMING: FieldNaming = {
  field: (path) => PATH_COLUMN[path] ?? PATH_COLUMN[path.split('.')[0]] ?? path,
  reason: (text) => text.replace(CAMEL_PROPERTY, (p) => PATH_COLUMN[p]),
};

function readHeader(fields: string[]): CsvColumn[] {
  const names = fields.map((f) => f.trim().toLowerCase());
  if (names.length === 1 && names[0].includes(';')) {
    reject(1, '', 'the header has no commas but semicolons: save the file as comma-separated CSV');
  }
  const problems: ImportProblem[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (!(CSV_COLUMNS as readonly string[]).includes(name)) {
      problems.push({
        line: 1,
        field: name,
        reason: `unknown column; the columns are ${CSV_COLUMNS.join(', ')}`,
      });
    } else if (seen.has(name)) {
      problems.push({ line: 1, field: name, reason: 'the column appears twice' });
    }
    seen.add(name);
  }
  for (const name of REQUIRED_COLUMNS) {
    if (!seen.has(name)) problems.push({ line: 1, field: name, reason: 'required column is missing' });
  }
  if (problems.length > 0) throw new CameraImportRejectedException(problems);
  return names as CsvColumn[];
}

/**
 * Reads a CSV inventory. The header row names the columns in any order; unknown columns are
 * refused rather than ignored, since a misspelt `adress` silently dropped would lose data.
 * `capabilities` and `tags` are `;`-separated lists.
 */
export function csvRows(bytes: Uint8Array): ImportRows {
  try {
    const records = readCsv(decodeUtf8(bytes));
    const first = records.next();
    if (first.done) {
      reject(1, '', `the file is empty; the first line must be a header such as ${CSV_COLUMNS.join(',')}`);
    }
    const columns = readHeader(first.value.fields);
    const present = new Set(columns.map((c) => COLUMN_PROPERTY[c]));
    const rows: ImportRow[] = [];
    const problems: ImportProblem[] = [];
    for (const { line, fields } of records) {
      if (rows.length + problems.length >= MAX_IMPORT_ROWS) {
        reject(line, '', `more than ${MAX_IMPORT_ROWS} cameras in one file; split it into several`);
      }
      if (fields.length !== columns.length) {
        problems.push({
          line,
          field: '',
          reason: `expected ${columns.length} fields as in the header, found ${fields.length}`,
        });
        continue;
      }
      // Validated as "no capabilities", but an existing camera keeps its own (see `present`).
      const input: Record<string, unknown> = present.has('capabilities') ? {} : { capabilities: [] };
      const location: Record<string, unknown> = {};
      for (let c = 0; c < columns.length; c++) {
        const column = columns[c];
        const value = CELL[column](fields[c]);
        if (column === 'lat' || column === 'lon') location[column] = value;
        else input[COLUMN_PROPERTY[column]] = value;
      }
      input.location = location;
      rows.push({ line, input, present });
    }
    if (rows.length + problems.length === 0) reject(2, '', 'the file has a header but no cameras');
    return { rows, naming: CSV_NAMING, problems };
  } catch (error) {
    if (error instanceof CsvSyntaxError) reject(error.line, '', error.reason);
    throw error;
  }
}

// ---- JSON ----------------------------------------------------------------------------------

export const JSON_NAMING: FieldNaming = { field: (path) => path, reason: (text) => text };

function where(text: string, message: string): string {
  const at = /at position (\d+)/.exec(message);
  if (!at) return '';
  const position = Number(at[1]);
  const before = text.slice(0, position).split('\n');
  return ` (line ${before.length}, column ${before[before.length - 1].length + 1} of the body)`;
}

/** Reads a JSON array of cameras with the property names of `POST /cameras`, minus the video system. */
export function jsonRows(bytes: Uint8Array): ImportRows {
  let text: string;
  try {
    text = decodeUtf8(bytes);
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      reject(0, '', `the body is not valid UTF-8 (line ${error.line} of the body)`);
    }
    throw error;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    reject(0, '', `the body is not valid JSON: ${message}${where(text, message)}`);
  }
  if (!Array.isArray(data)) reject(0, '', 'the body must be a JSON array of cameras');
  if (data.length === 0) reject(0, '', 'the array has no cameras');
  if (data.length > MAX_IMPORT_ROWS) {
    reject(0, '', `more than ${MAX_IMPORT_ROWS} cameras in one import; split it into several`);
  }
  const rows: ImportRow[] = [];
  const problems: ImportProblem[] = [];
  data.forEach((item: unknown, index) => {
    const line = index + 1;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push({ line, field: '', reason: 'each camera must be a JSON object' });
      return;
    }
    const input = item as Record<string, unknown>;
    rows.push({ line, input, present: new Set(Object.keys(input)) });
  });
  return { rows, naming: JSON_NAMING, problems };
}
