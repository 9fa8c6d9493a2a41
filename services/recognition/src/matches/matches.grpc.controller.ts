import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import { recognition, isUuid } from '@safecity/contracts';
import { grpcCallerOf, Operation, purposeOfRequest, isWellFormedRegionCode } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../recognition.policies';
import { decodeCursor, encodeCursor, invalidArgument } from '@safecity/service-kit';
import { GetBehaviourAlertUseCase } from '../behaviour/use-cases/get-behaviour-alert/get-behaviour-alert.use-case';
import { KIND_MESSAGE, STATUS_MESSAGE, STATUS_NAME } from './match-messages';
import type { MatchKindName, MatchStatusName } from './match-verification';
import { MATCH_CURSOR } from './match-views';
import { GetMatchUseCase, ListMatchesUseCase, VerifyMatchUseCase } from './use-cases';

const KIND_NAME = new Map(
  Object.entries(KIND_MESSAGE).map(([name, value]) => [value, name as MatchKindName]),
);

/** Matches and behaviour alerts over gRPC, for incidents and operations-center tools. */
@Controller()
export class MatchesGrpcController {
  constructor(
    private readonly getMatchUseCase: GetMatchUseCase,
    private readonly listMatchesUseCase: ListMatchesUseCase,
    private readonly verifyMatchUseCase: VerifyMatchUseCase,
    private readonly getBehaviourAlertUseCase: GetBehaviourAlertUseCase,
  ) {}

  @GrpcMethod('Recognition', 'GetMatch')
  @Operation(P.getMatch)
  async getMatch(
    request: recognition.GetMatchRequest,
    metadata?: Metadata,
  ): Promise<recognition.GetMatchResponse> {
    if (!isUuid(request.id)) throw invalidArgument('id', 'must be a UUID');
    const found = await this.getMatchUseCase.execute({
      actor: grpcCallerOf(metadata),
      id: request.id,
      purpose: 'match review',
    });
    return found.kind === 'plate' ? { plateMatch: found.match } : { faceMatch: found.match };
  }

  @GrpcMethod('Recognition', 'ListMatches')
  @Operation(P.listMatches)
  async listMatches(
    request: recognition.ListMatchesRequest,
    metadata?: Metadata,
  ): Promise<recognition.ListMatchesResponse> {
    if (!isWellFormedRegionCode(request.regionCode))
      throw invalidArgument('region_code', 'is required: a region code');
    if (request.cameraId && !isUuid(request.cameraId)) throw invalidArgument('camera_id', 'must be a UUID');
    const pageSize = request.pageSize || 50;
    if (pageSize < 1 || pageSize > 100) throw invalidArgument('page_size', 'must be 1 to 100');
    const statuses: MatchStatusName[] = [];
    for (const s of request.statuses ?? []) {
      const name = STATUS_NAME.get(s);
      if (!name) throw invalidArgument('statuses', `unknown status ${s}`);
      statuses.push(name);
    }
    let after: { matchedAt: string; id: string } | undefined;
    try {
      after = decodeCursor(request.pageToken || undefined, MATCH_CURSOR);
    } catch {
      throw invalidArgument('page_token', 'is not one this service issued');
    }
    const page = await this.listMatchesUseCase.execute({
      actor: grpcCallerOf(metadata),
      purpose: 'match review',
      filter: {
        regionCode: request.regionCode,
        kind: request.kind ? KIND_NAME.get(request.kind) : undefined,
        statuses,
        cameraId: request.cameraId || undefined,
        observedFrom: request.observed?.startTime ?? undefined,
        observedTo: request.observed?.endTime ?? undefined,
        after,
        limit: pageSize,
      },
    });
    return {
      plateMatches: page.items.flatMap((i) => (i.kind === 'plate' ? [i.match] : [])),
      faceMatches: page.items.flatMap((i) => (i.kind === 'face' ? [i.match] : [])),
      nextPageToken: page.next ? encodeCursor(page.next) : '',
    };
  }

  // Verifying is the human check of a match: operators and supervisors, as over HTTP; never an
  // administrator or another service.
  @GrpcMethod('Recognition', 'VerifyMatch')
  @Operation(P.verifyMatch)
  async verifyMatch(
    request: recognition.VerifyMatchRequest,
    metadata?: Metadata,
  ): Promise<recognition.VerifyMatchResponse> {
    if (!isUuid(request.matchId)) throw invalidArgument('match_id', 'must be a UUID');
    const verdict =
      request.verdict === recognition.VerificationVerdict.VERIFICATION_VERDICT_CONFIRMED
        ? 'confirmed'
        : request.verdict === recognition.VerificationVerdict.VERIFICATION_VERDICT_REJECTED
          ? 'rejected'
          : undefined;
    if (!verdict) throw invalidArgument('verdict', 'must be CONFIRMED or REJECTED');
    if ((request.comment ?? '').length > 1000)
      throw invalidArgument('comment', 'must be at most 1000 characters');
    const result = await this.verifyMatchUseCase.execute({
      actor: grpcCallerOf(metadata),
      matchId: request.matchId,
      verdict,
      plateChecked: request.plateChecked,
      vehicleChecked: request.vehicleChecked,
      comment: request.comment,
      purpose: purposeOfRequest(request.purpose),
    });
    return {
      status: STATUS_MESSAGE[result.status],
      confirmations: result.confirmations,
      requiredConfirmations: result.requiredConfirmations,
    };
  }

  @GrpcMethod('Recognition', 'GetBehaviourAlert')
  @Operation(P.getBehaviourAlert)
  async getBehaviourAlert(
    request: recognition.GetBehaviourAlertRequest,
    metadata?: Metadata,
  ): Promise<recognition.GetBehaviourAlertResponse> {
    if (!isUuid(request.id)) throw invalidArgument('id', 'must be a UUID');
    const alert = await this.getBehaviourAlertUseCase.execute({
      actor: grpcCallerOf(metadata),
      id: request.id,
    });
    return { alert };
  }
}
