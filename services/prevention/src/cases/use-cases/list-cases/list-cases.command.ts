import type { Command } from '@safecity/security';
import type { CaseFilter } from '../../cases.repository';

export interface ListCases extends Command {
  /** Which cases: region, district, status, category, risk, subject kind, officer. */
  filter: Omit<CaseFilter, 'after' | 'limit' | 'incidentId'>;
  /** The page: default 50 cases, after the cursor of the previous page. */
  limit?: number;
  cursor?: string;
  /**
   * Set when the cases are disclosed to another service: the region is then required and must be
   * the caller's, each case comes with its details, and each read is recorded with this purpose.
   */
  disclosedFor?: string;
}
