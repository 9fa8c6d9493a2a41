import type { Command } from '@safecity/security';

export interface ReadKpis extends Command {
  /** A region of the caller's, and optionally one of its districts. */
  regionCode: string;
  districtCode?: string;
  /** The period, at most a year. */
  from: Date;
  to: Date;
}
