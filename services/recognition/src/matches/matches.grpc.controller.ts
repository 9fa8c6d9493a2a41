import { Controller, HttpException } from '@nestjs/common';
import { GrpcMethod, RpcException } from '@nestjs/microservices';
import { status, type Metadata } from '@grpc/grpc-js';
import { recognition } from '@safecity/contracts';
import { principalOf, Roles, type Principal } from '@safecity/security';
import { decodeCursor, encodeCursor } from '@safecity/service-kit';
import { BehaviourAlertsService } from '../behaviour/behaviour-alerts.service';
import { KIND_MESSAGE, STATUS_MESSAGE, STATUS_NAME } from './match-messages';
import type { MatchKindName, MatchStatusName } from './match-verification';
import { MatchesService } from './matches.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REGION = /^[A-Z0-9]{2,10}$/;

function callerOf(metadata: Metadata | undefined): Principal {
  const caller = metadata ? principalOf(metadata) : undefined;
  if (!caller) throw new RpcException({ code: status.UNAUTHENTICATED, message: 'no authenticated caller' });
  return caller;
}

function invalid(field: string, reason: string): RpcException {
  return new RpcException({ code: status.INVALID_ARGUMENT, message: `${field}: ${reason}` });
}

/** The REST answer of a rule, as the gRPC status the contract names for it. */
function asRpc(error: unknown): never {
  if (error instanceof HttpException) {
    const code =
      {
        400: status.INVALID_ARGUMENT,
        403: status.PERMISSION_DENIED,
        404: status.NOT_FOUND,
        409: status.FAILED_PRECONDITION,
        422: status.INVALID_ARGUMENT,
      }[error.getStatus()] ?? status.INTERNAL;
    throw new RpcException({ code, message: error.message });
  }
  throw error;
}

const KIND_NAME = new Map(
  Object.entries(KIND_MESSAGE).map(([name, value]) => [value, name as MatchKindName]),
);

/** Matches and behaviour alerts over gRPC, for incidents and operations-center tools. */
@Controller()
@Roles('service', 'admin', 'region-admin', 'operator', 'supervisor')
export class MatchesGrpcController {
  constructor(
    private readonly matches: MatchesService,
    private readonly alerts: BehaviourAlertsService,
  ) {}

  @GrpcMethod('Recognition', 'GetMatch')
  async getMatch(
    request: recognition.GetMatchRequest,
    metadata?: Metadata,
  ): Promise<recognition.GetMatchResponse> {
    if (!UUID.test(request.id ?? '')) throw invalid('id', 'must be a UUID');
    const found = await this.matches.get(request.id, callerOf(metadata), 'match review').catch(asRpc);
    return found.kind === 'plate' ? { plateMatch: found.match } : { faceMatch: found.match };
  }

  @GrpcMethod('Recognition', 'ListMatches')
  async listMatches(
    request: recognition.ListMatchesRequest,
    metadata?: Metadata,
  ): Promise<recognition.ListMatchesResponse> {
    if (!REGION.test(request.regionCode ?? '')) throw invalid('region_code', 'is required: a region code');
    if (request.cameraId && !UUID.test(request.cameraId)) throw invalid('camera_id', 'must be a UUID');
    const pageSize = request.pageSize || 50;
    if (pageSize < 1 || pageSize > 100) throw invalid('page_size', 'must be 1 to 100');
    const statuses: MatchStatusName[] = [];
    for (const s of request.statuses ?? []) {
      const name = STATUS_NAME.get(s);
      if (!name) throw invalid('statuses', `unknown status ${s}`);
      statuses.push(name);
    }
    let after: { matchedAt: string; id: string } | undefined;
    try {
      after = decodeCursor(request.pageToken || undefined);
    } catch {
      throw invalid('page_token', 'is not one this service issued');
    }
    const page = await this.matches
      .list(
        {
          regionCode: request.regionCode,
          kind: request.kind ? KIND_NAME.get(request.kind) : undefined,
          statuses,
          cameraId: request.cameraId || undefined,
          observedFrom: request.observed?.startTime ?? undefined,
          observedTo: request.observed?.endTime ?? undefined,
          after,
          limit: pageSize,
        },
        callerOf(metadata),
        'match review',
      )
      .catch(asRpc);
    return {
      plateMatches: page.items.flatMap((i) => (i.kind === 'plate' ? [i.match] : [])),
      faceMatches: page.items.flatMap((i) => (i.kind === 'face' ? [i.match] : [])),
      nextPageToken: page.next ? encodeCursor(page.next) : '',
    };
  }

  // Verifying is the human check of a match: operators and supervisors, as over HTTP; never an
  // administrator or another service.
  @GrpcMethod('Recognition', 'VerifyMatch')
  @Roles('operator', 'supervisor')
  async verifyMatch(
    request: recognition.VerifyMatchRequest,
    metadata?: Metadata,
  ): Promise<recognition.VerifyMatchResponse> {
    if (!UUID.test(request.matchId ?? '')) throw invalid('match_id', 'must be a UUID');
    const verdict =
      request.verdict === recognition.VerificationVerdict.VERIFICATION_VERDICT_CONFIRMED
        ? 'confirmed'
        : request.verdict === recognition.VerificationVerdict.VERIFICATION_VERDICT_REJECTED
          ? 'rejected'
          : undefined;
    if (!verdict) throw invalid('verdict', 'must be CONFIRMED or REJECTED');
    if ((request.comment ?? '').length > 1000) throw invalid('comment', 'must be at most 1000 characters');
    const result = await this.matches
      .verify(
        request.matchId,
        {
          verdict,
          plateChecked: request.plateChecked,
          vehicleChecked: request.vehicleChecked,
          comment: request.comment,
          purpose: request.purpose,
        },
        callerOf(metadata),
      )
      .catch(asRpc);
    return {
      status: STATUS_MESSAGE[result.status],
      confirmations: result.confirmations,
      requiredConfirmations: result.requiredConfirmations,
    };
  }

  @GrpcMethod('Recognition', 'GetBehaviourAlert')
  async getBehaviourAlert(
    request: recognition.GetBehaviourAlertRequest,
    metadata?: Metadata,
  ): Promise<recognition.GetBehaviourAlertResponse> {
    if (!UUID.test(request.id ?? '')) throw invalid('id', 'must be a UUID');
    const alert = await this.alerts.get(request.id, callerOf(metadata)).catch(asRpc);
    return { alert };
  }
}
