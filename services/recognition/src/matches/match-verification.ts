export const MATCH_STATUSES = [
  'pending-verification',
  'partially-confirmed',
  'confirmed',
  'rejected',
  'expired',
] as const;
export type MatchStatusName = (typeof MATCH_STATUSES)[number];
export type MatchKindName = 'plate' | 'face';
export type Verdict = 'confirmed' | 'rejected';

/** Distinct people who must confirm before a match is actionable. */
export const REQUIRED_CONFIRMATIONS: Record<MatchKindName, number> = { plate: 1, face: 2 };

export interface VerificationRequest {
  actorSubject: string;
  verdict: Verdict;
  plateChecked: boolean;
  vehicleChecked: boolean;
}

export interface MatchState {
  kind: MatchKindName;
  status: MatchStatusName;
  requiredConfirmations: number;
  /** Subjects who already recorded a verdict, with it. */
  verdicts: readonly { actorSubject: string; verdict: Verdict }[];
}

export type VerificationOutcome =
  | { ok: true; status: MatchStatusName; confirmations: number }
  | { ok: false; field: string; reason: string; code: 'conflict' | 'unprocessable' };

/**
 * The human-in-the-loop rule. A face match is confirmed only when `requiredConfirmations`
 * different people confirmed it; a plate match when one person records that they compared both
 * the plate and the vehicle with the entry. One person counts once, whatever they send; any
 * rejection closes the match (a doubt raised by a person is not outvoted). Confirmed, rejected and
 * expired matches take no further verdicts.
 */
export function decideVerification(match: MatchState, request: VerificationRequest): VerificationOutcome {
  if (match.status !== 'pending-verification' && match.status !== 'partially-confirmed') {
    return { ok: false, code: 'conflict', field: 'matchId', reason: `match is ${match.status}` };
  }
  if (match.verdicts.some((v) => v.actorSubject === request.actorSubject)) {
    return {
      ok: false,
      code: 'conflict',
      field: 'actor',
      reason: 'you have already verified this match; another person must confirm it',
    };
  }
  const confirmations = match.verdicts.filter((v) => v.verdict === 'confirmed').length;
  if (request.verdict === 'rejected') return { ok: true, status: 'rejected', confirmations };
  if (match.kind === 'plate' && !(request.plateChecked && request.vehicleChecked)) {
    return {
      ok: false,
      code: 'unprocessable',
      field: request.plateChecked ? 'vehicleChecked' : 'plateChecked',
      reason: 'a plate match is confirmed only after the plate and the vehicle were both checked visually',
    };
  }
  const now = confirmations + 1;
  return {
    ok: true,
    status: now >= match.requiredConfirmations ? 'confirmed' : 'partially-confirmed',
    confirmations: now,
  };
}
