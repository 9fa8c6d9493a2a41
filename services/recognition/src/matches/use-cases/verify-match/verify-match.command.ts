import type { Command } from '@safecity/security';
import type { MatchStatusName, Verdict } from '../../match-verification';

/** One person's check of a match; the person is the actor, never a field of the request. */
export interface VerifyMatch extends Command {
  matchId: string;
  verdict: Verdict;
  plateChecked?: boolean;
  vehicleChecked?: boolean;
  comment?: string;
  /** Why (audited); default "match verification". */
  purpose?: string;
}

export interface VerifyMatchResult {
  status: MatchStatusName;
  confirmations: number;
  requiredConfirmations: number;
}
