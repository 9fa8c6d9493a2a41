import { Inject, Injectable } from '@nestjs/common';
import {
  RegionAccess,
  RegionScope,
  TokenBucketRateLimiter,
  UseCase,
  UseCaseHandler,
} from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import { INCIDENTS_POLICIES as P } from '../../../incidents.policies';
import { ChannelNames } from '../../../incidents/enum-names';
import { ANONYMOUS_REPORTS_LIMITER, CitizenFloodError, type TakenIn } from '../../citizen-report-status';
import { CitizenReportIntake } from '../../citizen-report-intake';
import type { SubmitCitizenReport } from './submit-citizen-report.command';

/**
 * Intake from citizen channels with their own service identity, and from hotline operators: a
 * report of the caller's regions, acknowledged at once and correlated into an incident in the same
 * step. One citizen id, or one source of anonymous reports, that floods is refused for a while.
 */
@Injectable()
export class SubmitCitizenReportUseCase extends UseCaseHandler<SubmitCitizenReport, TakenIn> {
  constructor(
    private readonly transaction: RegionAccess,
    private readonly intake: CitizenReportIntake,
    private readonly limiter: TokenBucketRateLimiter,
    @Inject(ANONYMOUS_REPORTS_LIMITER) private readonly anonymousLimiter: TokenBucketRateLimiter,
  ) {
    super();
  }

  @UseCase(P.submitCitizenReport)
  async execute({ actor, report }: SubmitCitizenReport): Promise<TakenIn> {
    const scope = RegionScope.of(actor);
    if (!scope.includes(report.regionCode)) {
      throw new InvalidError({
        field: 'regionCode',
        reason: `region ${report.regionCode} is not served by this channel`,
      });
    }
    if (report.contact && !report.consentToContact)
      throw new InvalidError({ field: 'contact', reason: 'a contact is kept only with consent to contact' });
    const channel = ChannelNames.fromName(report.channel)!;
    if (report.citizenId) {
      const decision = this.limiter.take(`${channel}:${report.citizenId}`);
      if (!decision.allowed) throw new CitizenFloodError(decision.retryAfterSeconds);
    } else {
      const decision = this.anonymousLimiter.take(`${channel}:${actor.kind}:${actor.subject}`);
      if (!decision.allowed)
        throw new CitizenFloodError(decision.retryAfterSeconds, 'this source without a citizen id');
    }
    return this.transaction.run(scope, (m) => this.intake.takeIn(m, report, actor, { publish: true }));
  }
}
