import { httpProblemOf } from '@safecity/service-kit';
import { CameraImportRejectedException, type ImportProblem } from './import-problems';
import { csvRows, jsonRows, MAX_IMPORT_ROWS } from './import-rows';

const csv = (text: string) => csvRows(Buffer.from(text));
const json = (value: unknown) =>
  jsonRows(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)));

function rejected(run: () => unknown): ImportProblem[] {
  try {
    run();
  } catch (error) {
    if (error instanceof CameraImportRejectedException) {
      const { status, body } = httpProblemOf(error) as {
        status: number;
        body: { problems: ImportProblem[] };
      };
      expect(status).toBe(422);
      expect(body.problems).toEqual(error.problems.sort((a, b) => a.line - b.line));
      return body.problems;
    }
    throw error;
  }
  throw new Error('expected the import to be rejected');
}

const HEADER =
  'external_id,name,lat,lon,address,district_code,direction_deg,field_of_view_deg,mount_type,capabilities,tags,lifecycle';

describe('csvRows', () => {
  it('turns every row into a registration under the API property names, with its line', () => {
    const source = csv(
      `${HEADER}\r\n` +
        'ch-1,"Abay Ave / Dostyk Ave, NE corner",43.2383,76.9454,"Abay Ave 52, Almaty",ALA-ALMALY,90,75.5,pole,plates;ptz,school;transport-hub,active\r\n' +
        'ch-2,Tole Bi St,43.25,76.91,,,,,,,,\r\n',
    );
    expect(source.problems).toEqual([]);
    expect(source.rows).toEqual([
      {
        line: 2,
        present: expect.any(Set),
        input: {
          externalId: 'ch-1',
          name: 'Abay Ave / Dostyk Ave, NE corner',
          location: { lat: 43.2383, lon: 76.9454 },
          address: 'Abay Ave 52, Almaty',
          districtCode: 'ALA-ALMALY',
          directionDeg: 90,
          fieldOfViewDeg: 75.5,
          mountType: 'pole',
          capabilities: ['plates', 'ptz'],
          tags: ['school', 'transport-hub'],
          lifecycle: 'active',
        },
      },
      {
        line: 3,
        present: expect.any(Set),
        input: {
          externalId: 'ch-2',
          name: 'Tole Bi St',
          location: { lat: 43.25, lon: 76.91 },
          address: null,
          districtCode: null,
          directionDeg: null,
          fieldOfViewDeg: null,
          mountType: null,
          capabilities: [],
          tags: [],
          lifecycle: null,
        },
      },
    ]);
  });

  it('takes the columns in any order, trims names and cells, and ignores letter case in the header', () => {
    const source = csv(' LON , Lat,external_id ,name\n 76.95 ,43.2, ch-9 , x \n');
    expect(source.rows[0].input).toEqual({
      externalId: 'ch-9',
      name: 'x',
      location: { lat: 43.2, lon: 76.95 },
      capabilities: [],
    });
  });

  it('marks only the columns present as set, so an existing camera keeps the others', () => {
    const source = csv('external_id,name,lat,lon,tags\nch-1,x,43.2,76.9,school\n');
    expect([...source.rows[0].present].sort()).toEqual(['externalId', 'location', 'name', 'tags']);
    // Validated as having no capabilities, without claiming to set them.
    expect(source.rows[0].input.capabilities).toEqual([]);
  });

  it('leaves a value that is not a plain number as text for the validator to refuse', () => {
    const source = csv('external_id,name,lat,lon,direction_deg\nch-1,x,"43,2",0x10,1e2\n');
    expect(source.rows[0].input).toMatchObject({ location: { lat: '43,2', lon: '0x10' }, directionDeg: 100 });
  });

  it('refuses unknown, repeated and missing columns, all at once, on line 1', () => {
    expect(rejected(() => csv('external_id,name,lat,adress,name\nch-1,x,43,a,b\n'))).toEqual([
      { line: 1, field: 'adress', reason: expect.stringContaining('unknown column') },
      { line: 1, field: 'name', reason: 'the column appears twice' },
      { line: 1, field: 'lon', reason: 'required column is missing' },
    ]);
  });

  it('recognises a semicolon-separated export', () => {
    expect(rejected(() => csv('external_id;name;lat;lon\nch-1;x;43;76\n'))).toEqual([
      { line: 1, field: '', reason: expect.stringContaining('semicolons') },
    ]);
  });

  it('reports every row with a wrong number of fields and still reads the others', () => {
    const source = csv('external_id,name,lat,lon\nch-1,x,43.2\nch-2,y,43.2,76.9\nch-3,z,43.2,76.9,extra\n');
    expect(source.rows.map((r) => r.line)).toEqual([3]);
    expect(source.problems).toEqual([
      { line: 2, field: '', reason: 'expected 4 fields as in the header, found 3' },
      { line: 4, field: '', reason: 'expected 4 fields as in the header, found 5' },
    ]);
  });

  it('refuses malformed CSV naming the line', () => {
    expect(
      rejected(() => csv('external_id,name,lat,lon\nch-1,x,43,76\nch-2,"open,43,76\nch-3,y,43,76\n')),
    ).toEqual([{ line: 3, field: '', reason: expect.stringContaining('never closed') }]);
  });

  it('refuses a file that is not UTF-8 naming the line', () => {
    const bytes = Buffer.concat([
      Buffer.from('external_id,name,lat,lon\nch-1,'),
      Buffer.from([0xc0, 0xe1, 0xe0, 0xe9]),
      Buffer.from(',43,76\n'),
    ]);
    expect(rejected(() => csvRows(bytes))).toEqual([
      { line: 2, field: '', reason: expect.stringContaining('UTF-8') },
    ]);
  });

  it('refuses an empty file and one without cameras', () => {
    expect(rejected(() => csv(''))[0].reason).toContain('header');
    expect(rejected(() => csv('external_id,name,lat,lon\n\n'))[0].reason).toContain('no cameras');
  });

  it(`refuses more than ${MAX_IMPORT_ROWS} rows, naming the first one too many`, () => {
    const body = Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => `ch-${i},x,43,76`).join('\n');
    expect(rejected(() => csv(`external_id,name,lat,lon\n${body}`))).toEqual([
      { line: MAX_IMPORT_ROWS + 2, field: '', reason: expect.stringContaining('split') },
    ]);
  });
});

describe('jsonRows', () => {
  it('numbers cameras by their position and remembers which properties each sets', () => {
    const source = json([
      { externalId: 'a', name: 'x', location: { lat: 43, lon: 76 }, capabilities: [] },
      { externalId: 'b', name: 'y', location: { lat: 43, lon: 76 }, capabilities: [], tags: null },
    ]);
    expect(source.rows.map((r) => r.line)).toEqual([1, 2]);
    expect(source.rows[1].present.has('tags')).toBe(true);
    expect(source.rows[0].present.has('tags')).toBe(false);
  });

  it('reports elements that are not objects and reads the rest', () => {
    const source = json([1, { externalId: 'a' }, null, []]);
    expect(source.rows.map((r) => r.line)).toEqual([2]);
    expect(source.problems.map((p) => p.line)).toEqual([1, 3, 4]);
  });

  it('refuses invalid JSON saying where, a non-array and an empty array', () => {
    expect(rejected(() => json('[\n  {"externalId": "a",}\n]'))).toEqual([
      { line: 0, field: '', reason: expect.stringMatching(/not valid JSON.*line 2, column 22/) },
    ]);
    expect(rejected(() => json({ cameras: [] }))[0].reason).toContain('JSON array');
    expect(rejected(() => json([]))[0].reason).toContain('no cameras');
  });
});
