import { Injectable } from '@nestjs/common';
import { Inbox } from '@safecity/messaging';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { RegionTransaction } from '../../../access/region-transaction';
import { INCIDENTS_POLICIES as P } from '../../../incidents.policies';
import { CommitSignal } from '../../../live/commit-signal';
import { CitizenReportIntake } from '../../citizen-report-intake';
import type { TakenIn } from '../../citizen-report-status';
import type { TakeInCitizenReport } from './take-in-citizen-report.command';

/**
 * A report a citizen channel's gateway published on `safecity.citizen-reports.v1` takes the path
 * of one posted over REST, in one transaction with the inbox, and is not published again. The
 * reports this service publishes itself come back here and change nothing: (channel, channel
 * report id) is already known. Null when the event had been handled before.
 */
@Injectable()
export class TakeInCitizenReportUseCase extends UseCaseHandler<TakeInCitizenReport, TakenIn | null> {
  constructor(
    private readonly transaction: RegionTransaction,
    private readonly inbox: Inbox,
    private readonly intake: CitizenReportIntake,
    private readonly commits: CommitSignal,
  ) {
    super();
  }

  @UseCase(P.takeInCitizenReport)
  async execute({ actor, event, reportId, report }: TakeInCitizenReport): Promise<TakenIn | null> {
    // The gateway speaks for every region it serves; the bus authenticated it. The inbox joins
    // the unit of work, so the event is recorded with its effect or not at all.
    const { applied, result } = await this.transaction.run(RegionScope.allRegions(), () =>
      this.inbox.once(event, (m) => this.intake.takeIn(m, report, actor, { publish: false, reportId })),
    );
    if (applied) this.commits.notify();
    return applied ? (result ?? null) : null;
  }
}
