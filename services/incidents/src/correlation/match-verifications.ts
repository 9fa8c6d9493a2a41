import { Inject, Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import type { ClientGrpc } from '@nestjs/microservices';
import { status } from '@grpc/grpc-js';
import { recognition, RECOGNITION_SERVICE_NAME, type RecognitionClient } from '@safecity/contracts';
import { ServiceCredentials, type Principal } from '@safecity/security';
import { ConflictError, ForbiddenError, InvalidError, UnavailableError } from '@safecity/service-kit';
import { firstValueFrom, timeout } from 'rxjs';

export const RECOGNITION_GRPC = Symbol('RECOGNITION_GRPC');
const DEADLINE_MS = 5_000;

/** Recognition's verdict on a match after one person's confirmation. */
export interface MatchConfirmation {
  status: recognition.MatchStatus;
  confirmations: number;
  requiredConfirmations: number;
}

/**
 * A face match is confirmed once, in recognition, which holds it: two different people, wherever
 * they confirm it. An operator confirming a face-match incident confirms its match there, as
 * themselves (their token is relayed, so recognition checks their role, region and whether they
 * have already confirmed it); the incident then follows the match's status.
 */
@Injectable()
export class MatchVerifications implements OnModuleInit {
  private client: RecognitionClient | null = null;

  constructor(
    private readonly credentials: ServiceCredentials,
    @Optional() @Inject(RECOGNITION_GRPC) private readonly grpc?: ClientGrpc,
  ) {}

  onModuleInit() {
    if (this.grpc) this.client = this.grpc.getService<RecognitionClient>(RECOGNITION_SERVICE_NAME);
  }

  /** One person's confirmation of a match, answered with the match's status after it. */
  async confirm(matchId: string, actor: Principal, comment: string): Promise<MatchConfirmation> {
    if (!this.client) {
      throw new UnavailableError(
        'face matches are confirmed in recognition, which this instance cannot reach',
      );
    }
    try {
      const answer = await firstValueFrom(
        this.client
          .verifyMatch(
            {
              matchId,
              verdict: recognition.VerificationVerdict.VERIFICATION_VERDICT_CONFIRMED,
              plateChecked: false,
              vehicleChecked: false,
              comment,
              purpose: 'incident verification',
            },
            this.credentials.onBehalfOf(actor),
          )
          .pipe(timeout(DEADLINE_MS)),
      );
      return {
        status: answer.status,
        confirmations: answer.confirmations,
        requiredConfirmations: answer.requiredConfirmations,
      };
    } catch (error) {
      throw refusalOf(error, matchId);
    }
  }
}

/** Recognition's refusal as incidents answers it; an outage stays an outage, never a verdict. */
function refusalOf(error: unknown, matchId: string): Error {
  const code = (error as { code?: number }).code;
  const details = String((error as { details?: string }).details ?? (error as Error).message ?? '');
  // Recognition names the field in its details ("actor: you have already verified this match…").
  const reason = details.replace(/^[a-zA-Z_]+: /, '');
  switch (code) {
    case status.FAILED_PRECONDITION:
    case status.ALREADY_EXISTS:
    case status.ABORTED:
      return new ConflictError(reason, { field: 'to' });
    case status.NOT_FOUND:
      return new ConflictError(`recognition holds no match ${matchId} to confirm`, { field: 'to' });
    case status.PERMISSION_DENIED:
      return new ForbiddenError(reason);
    case status.INVALID_ARGUMENT:
      return new InvalidError({ field: 'to', reason });
    default:
      return new UnavailableError('recognition did not answer; try again', { cause: error });
  }
}
