import { plainToInstance } from 'class-transformer';
import { NUL_CHARACTER_REASON, pathOfNulCharacter } from '@safecity/service-kit';
import { validateSync, type ValidationError, type ValidatorOptions } from 'class-validator';
import { findRegion, insideBbox, KAZAKHSTAN_BBOX, locationProblem } from '../regions/regions';
import { ImportCameraDto } from './import-camera.dto';
import type { ImportProblem } from './import-problems';
import type { ImportRows } from './import-rows';

export interface ValidRow {
  line: number;
  camera: ImportCameraDto;
  present: ReadonlySet<string>;
}

export interface ValidatedImport {
  valid: ValidRow[];
  problems: ImportProblem[];
}

// What the global validation pipe applies to `POST /cameras`.
const VALIDATOR: ValidatorOptions = { whitelist: true, forbidNonWhitelisted: true };

const TYPE_CHECKS = new Set(['isNumber', 'isString', 'isArray', 'isInt']);

/**
 * Like the API's problem list, except that a value of the wrong type is reported once: "lat must be
 * a number" for a cell holding `43,25`, not also that it is not between -90 and 90.
 */
function describe(errors: ValidationError[], prefix = ''): { field: string; reason: string }[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const constraints = Object.entries(e.constraints ?? {});
    const typeErrors = constraints.filter(([name]) => TYPE_CHECKS.has(name));
    const own = (typeErrors.length > 0 ? typeErrors : constraints).map(([, reason]) => ({ field, reason }));
    return [...own, ...describe(e.children ?? [], field)];
  });
}

/** The part of the coordinates outside a [minLon, minLat, maxLon, maxLat] box, or null if inside. */
function outside(bbox: readonly number[], lat: number, lon: number): string | null {
  if (insideBbox(bbox, lat, lon)) return null;
  const [minLon, minLat, maxLon, maxLat] = bbox;
  const latOut = lat < minLat || lat > maxLat;
  const lonOut = lon < minLon || lon > maxLon;
  return latOut && lonOut ? 'location' : latOut ? 'location.lat' : 'location.lon';
}

/**
 * Checks every row against the rules of a single registration: the same DTO, coordinates in
 * Kazakhstan and in the video system's region, a district of that region; and that no external id
 * occurs twice in the file. Reports every problem rather than stopping at the first, so one round trip
 * tells the integrator everything to fix.
 */
export function validateRows(
  source: ImportRows,
  { regionCode, districtCodes }: { regionCode: string; districtCodes: ReadonlySet<string> },
): ValidatedImport {
  const region = findRegion(regionCode);
  const problems: ImportProblem[] = [...source.problems];
  const valid: ValidRow[] = [];
  const firstLine = new Map<string, number>();
  for (const row of source.rows) {
    const before = problems.length;
    const report = (path: string, reason: string) =>
      problems.push({
        line: row.line,
        field: source.naming.field(path),
        reason: source.naming.reason(reason),
      });
    // As the validation pipe does for a single registration: text PostgreSQL cannot store.
    const withNul = pathOfNulCharacter(row.input);
    if (withNul !== undefined) report(withNul || 'row', NUL_CHARACTER_REASON);
    const camera = plainToInstance(ImportCameraDto, row.input, { enableImplicitConversion: false });
    const errors = validateSync(camera, VALIDATOR);
    for (const p of describe(errors)) report(p.field, p.reason);

    const externalId = camera.externalId;
    if (typeof externalId === 'string' && externalId !== '') {
      const first = firstLine.get(externalId);
      if (first === undefined) firstLine.set(externalId, row.line);
      else report('externalId', `duplicate external id "${externalId}", first on line ${first}`);
    }

    const district = camera.districtCode;
    if (typeof district === 'string' && !errors.some((e) => e.property === 'districtCode')) {
      if (!districtCodes.has(district))
        report('districtCode', `no district ${district} in region ${regionCode}`);
    }

    if (camera.location !== undefined && !errors.some((e) => e.property === 'location')) {
      const { lat, lon } = camera.location;
      const problem = locationProblem(regionCode, lat, lon);
      // Name the coordinate that is off, so the integrator knows which column to fix.
      if (problem)
        report(
          outside(KAZAKHSTAN_BBOX, lat, lon) ??
            (region ? outside(region.bbox, lat, lon) : null) ??
            'location',
          problem,
        );
    }

    if (problems.length === before) valid.push({ line: row.line, camera, present: row.present });
  }
  return { valid, problems };
}
