import { InvalidError } from '@safecity/service-kit';

/**
 * One thing wrong with an import. `line` is the 1-based line of a CSV file (the header is line 1)
 * or the 1-based position of a camera in a JSON array; 0 when the problem is with the file as a
 * whole. `field` is the CSV column or JSON property, empty when no single field is to blame.
 */
export interface ImportProblem {
  line: number;
  field: string;
  reason: string;
}

export function byLine(a: ImportProblem, b: ImportProblem): number {
  return a.line - b.line;
}

/** 422 listing every problem found; an import is all or nothing, so nothing was written. */
export class CameraImportRejectedException extends InvalidError {
  declare readonly problems: ImportProblem[];

  constructor(problems: ImportProblem[]) {
    const sorted = [...problems].sort(byLine);
    const count = `${sorted.length} problem${sorted.length === 1 ? '' : 's'}`;
    super(sorted, { message: `${count} in the import; nothing was imported` });
  }
}
