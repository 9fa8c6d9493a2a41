import { csvRows, jsonRows } from './import-rows';
import { validateRows } from './validate-rows';

const ALMATY = { regionCode: 'ALA', districtCodes: new Set(['ALA-ALMALY', 'ALA-MEDEU']) };
const HEADER = 'external_id,name,lat,lon,district_code,direction_deg,mount_type,capabilities,tags,lifecycle';

const csv = (...rows: string[]) => validateRows(csvRows(Buffer.from([HEADER, ...rows].join('\n'))), ALMATY);
const json = (cameras: unknown[]) => validateRows(jsonRows(Buffer.from(JSON.stringify(cameras))), ALMATY);

const good = (id: string) => `${id},Dostyk Ave,43.2383,76.9454,ALA-ALMALY,90,pole,plates;ptz,school,active`;
const camera = (externalId: string, extra: Record<string, unknown> = {}) => ({
  externalId,
  name: 'Dostyk Ave',
  location: { lat: 43.2383, lon: 76.9454 },
  capabilities: ['plates'],
  ...extra,
});

describe('validateRows', () => {
  it('accepts good rows as DTO instances', () => {
    const { valid, problems } = csv(good('ch-1'), good('ch-2'));
    expect(problems).toEqual([]);
    expect(valid.map((v) => [v.line, v.camera.externalId, v.camera.capabilities])).toEqual([
      [2, 'ch-1', ['plates', 'ptz']],
      [3, 'ch-2', ['plates', 'ptz']],
    ]);
  });

  it('applies the rules of POST /cameras and names CSV columns in fields and reasons', () => {
    const { valid, problems } = csv(
      good('ch-1'),
      'ch-2,Dostyk Ave,95,76.9454,,400,tripod,plates;x-ray,School!,decommissioned',
      ',,abc,76.9454,,,,,,',
    );
    expect(valid.map((v) => v.line)).toEqual([2]);
    expect(problems).toEqual(
      expect.arrayContaining([
        { line: 3, field: 'lat', reason: 'lat must not be greater than 90' },
        { line: 3, field: 'direction_deg', reason: 'direction_deg must not be greater than 360' },
        { line: 3, field: 'mount_type', reason: expect.stringContaining('mount_type must be one of') },
        { line: 3, field: 'capabilities', reason: expect.stringContaining('each value in capabilities') },
        { line: 3, field: 'tags', reason: expect.stringContaining('each tag must be') },
        { line: 3, field: 'lifecycle', reason: expect.stringContaining('planned, active, maintenance') },
        { line: 4, field: 'external_id', reason: expect.stringContaining('external_id must be longer') },
        { line: 4, field: 'name', reason: expect.stringContaining('name must be longer') },
        { line: 4, field: 'lat', reason: expect.stringContaining('lat must be a number') },
      ]),
    );
    expect(problems.every((p) => p.line === 3 || p.line === 4)).toBe(true);
    // A value of the wrong type is reported once, not also as out of range.
    expect(problems.filter((p) => p.line === 4 && p.field === 'lat')).toHaveLength(1);
  });

  it('refuses a NUL character in any cell or property, naming it (the database cannot store it)', () => {
    const fromCsv = csv(good('ch-1').replace('Dostyk Ave', 'Dostyk\u0000Ave'));
    expect(fromCsv.valid).toEqual([]);
    expect(fromCsv.problems).toEqual([{ line: 2, field: 'name', reason: expect.stringContaining('NUL') }]);
    const fromJson = json([camera('ch-1', { tags: ['school', 'x\u0000'] })]);
    expect(fromJson.valid).toEqual([]);
    expect(fromJson.problems).toEqual(
      expect.arrayContaining([{ line: 1, field: 'tags.1', reason: expect.stringContaining('NUL') }]),
    );
  });

  it('reports a repeated external id on every later line, pointing at the first', () => {
    const { valid, problems } = csv(good('ch-1'), good('ch-2'), good('ch-1'), good('ch-1'));
    expect(problems).toEqual([
      { line: 4, field: 'external_id', reason: 'duplicate external id "ch-1", first on line 2' },
      { line: 5, field: 'external_id', reason: 'duplicate external id "ch-1", first on line 2' },
    ]);
    expect(valid.map((v) => v.line)).toEqual([2, 3]);
  });

  it('refuses coordinates outside Kazakhstan or the region, naming the coordinate at fault', () => {
    const { problems } = csv(
      'ch-1,Paris,48.85,2.35,,,,,,',
      'ch-2,Astana,51.13,71.43,,,,,,',
      'ch-3,North of Almaty,43.6,76.95,,,,,,',
    );
    expect(problems).toEqual([
      { line: 2, field: 'lon', reason: 'coordinates are outside Kazakhstan' },
      { line: 3, field: 'lat,lon', reason: 'coordinates are outside region ALA' },
      { line: 4, field: 'lat', reason: 'coordinates are outside region ALA' },
    ]);
  });

  it("refuses a district that is not one of the video system's region", () => {
    const { problems } = csv('ch-1,x,43.2383,76.9454,AST-YESIL,,,,,');
    expect(problems).toEqual([
      { line: 2, field: 'district_code', reason: 'no district AST-YESIL in region ALA' },
    ]);
  });

  it('keeps JSON property names and refuses properties the API does not take', () => {
    const { valid, problems } = json([
      camera('a'),
      camera('b', { owner: 'me', videoSystemId: '00000000-0000-4000-8000-000000000000' }),
      camera('c', { location: { lat: 43.2, lon: 200 }, directionDeg: '90' }),
      camera('d', { capabilities: undefined }),
      camera('e', { location: undefined }),
    ]);
    expect(valid.map((v) => v.line)).toEqual([1]);
    expect(problems).toEqual(
      expect.arrayContaining([
        { line: 2, field: 'owner', reason: 'property owner should not exist' },
        { line: 2, field: 'videoSystemId', reason: 'property videoSystemId should not exist' },
        { line: 3, field: 'location.lon', reason: 'lon must not be greater than 180' },
        { line: 3, field: 'directionDeg', reason: expect.stringContaining('directionDeg must be a number') },
        { line: 4, field: 'capabilities', reason: expect.stringContaining('capabilities must be an array') },
        { line: 5, field: 'location', reason: 'location must be an object with lat and lon' },
      ]),
    );
  });

  it('validates privacy masks as the API does', () => {
    const { problems } = json([
      camera('a', { privacyMasks: [{ name: 'window', polygon: [{ x: 0, y: 0 }] }] }),
    ]);
    expect(problems).toEqual([
      { line: 1, field: 'privacyMasks.0.polygon', reason: expect.stringContaining('at least 3 elements') },
    ]);
  });
});
