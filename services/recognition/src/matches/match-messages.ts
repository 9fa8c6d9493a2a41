import { common, recognition } from '@safecity/contracts';
import type { MatchKindName, MatchStatusName, Verdict } from './match-verification';
import type { MatchRow, VerificationRow } from './matches.repository';

export const STATUS_MESSAGE: Record<MatchStatusName, recognition.MatchStatus> = {
  'pending-verification': recognition.MatchStatus.MATCH_STATUS_PENDING_VERIFICATION,
  'partially-confirmed': recognition.MatchStatus.MATCH_STATUS_PARTIALLY_CONFIRMED,
  confirmed: recognition.MatchStatus.MATCH_STATUS_CONFIRMED,
  rejected: recognition.MatchStatus.MATCH_STATUS_REJECTED,
  expired: recognition.MatchStatus.MATCH_STATUS_EXPIRED,
};

export const STATUS_NAME = new Map(
  Object.entries(STATUS_MESSAGE).map(([name, value]) => [value, name as MatchStatusName]),
);

export const KIND_MESSAGE: Record<MatchKindName, recognition.MatchKind> = {
  plate: recognition.MatchKind.MATCH_KIND_PLATE,
  face: recognition.MatchKind.MATCH_KIND_FACE,
};

export const VERDICT_MESSAGE: Record<Verdict, recognition.VerificationVerdict> = {
  confirmed: recognition.VerificationVerdict.VERIFICATION_VERDICT_CONFIRMED,
  rejected: recognition.VerificationVerdict.VERIFICATION_VERDICT_REJECTED,
};

const ACTOR_KIND: Record<string, common.ActorKind> = {
  user: common.ActorKind.ACTOR_KIND_USER,
  service: common.ActorKind.ACTOR_KIND_SERVICE,
  'video-system': common.ActorKind.ACTOR_KIND_VIDEO_SYSTEM,
};

export function verificationMessage(v: VerificationRow): recognition.MatchVerification {
  return {
    actor: { kind: ACTOR_KIND[v.actorKind] ?? common.ActorKind.ACTOR_KIND_UNSPECIFIED, id: v.actorSubject },
    verdict: VERDICT_MESSAGE[v.verdict],
    plateChecked: v.plateChecked,
    vehicleChecked: v.vehicleChecked,
    comment: v.comment,
    verifiedAt: v.verifiedAt,
  };
}

export type MatchMessage =
  { kind: 'plate'; match: recognition.PlateMatch } | { kind: 'face'; match: recognition.FaceMatch };

/** The match as stored at raise time, with its current status and verifications. */
export function matchMessage(row: MatchRow, verifications: readonly VerificationRow[]): MatchMessage {
  const status = STATUS_MESSAGE[row.status];
  const checks = verifications.map(verificationMessage);
  if (row.kind === 'plate') {
    return {
      kind: 'plate',
      match: { ...recognition.PlateMatch.decode(row.detail), status, verifications: checks },
    };
  }
  return {
    kind: 'face',
    match: { ...recognition.FaceMatch.decode(row.detail), status, verifications: checks },
  };
}

/** JSON view for REST: proto3 JSON of the match, with its kind. */
export function matchView(message: MatchMessage) {
  return message.kind === 'plate'
    ? { kind: 'plate', ...(recognition.PlateMatch.toJSON(message.match) as object) }
    : { kind: 'face', ...(recognition.FaceMatch.toJSON(message.match) as object) };
}

/** Legal bases of the entries a match names, for its audit records. */
export function legalBasesOf(message: MatchMessage): string {
  const refs = [...new Set(message.match.candidates.map((c) => c.legalBasisRef).filter(Boolean))];
  return (refs.join('; ') || 'watchlist match').slice(0, 500);
}
