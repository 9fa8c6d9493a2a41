import { HttpException } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Topics, type incidents as contract } from '@safecity/contracts';
import { EventConsumer, Inbox, NonRetriableEventError, type ConsumedEvent } from '@safecity/messaging';
import { RegionScope, ScopedTransaction, type Principal } from '@safecity/security';
import { CommitSignal } from '../live/commit-signal';
import { CitizenReportsService } from './citizen-reports.service';
import { citizenReportDtoFrom } from './from-contract';

/**
 * Reports that citizen channel gateways publish on `safecity.citizen-reports.v1` take the same
 * path as those posted over REST. The reports this service publishes itself come back here and
 * change nothing: (channel, channel report id) is already known.
 */
@EventConsumer()
export class CitizenReportsConsumer {
  constructor(
    private readonly inbox: Inbox,
    private readonly reports: CitizenReportsService,
    private readonly commits: CommitSignal,
  ) {}

  @EventPattern(Topics.CitizenReports)
  async onReport(@Payload() event: ConsumedEvent<contract.CitizenReportSubmitted>) {
    const report = event.data.report;
    if (!report?.id) throw new NonRetriableEventError('CitizenReportSubmitted without a report id');
    const dto = await citizenReportDtoFrom(report).catch((error: unknown) => {
      const problems = error instanceof HttpException ? JSON.stringify(error.getResponse()) : String(error);
      throw new NonRetriableEventError(`citizen report ${report.id} is not processable: ${problems}`);
    });
    const gateway: Principal = { kind: 'service', subject: event.source, roles: ['service'], regions: 'all' };
    const { applied } = await this.inbox.once(event, async (manager) => {
      const m = (await ScopedTransaction.apply(manager, RegionScope.allRegions())).manager;
      await this.reports.takeIn(m, dto, gateway, { publish: false, reportId: report.id });
    });
    if (applied) this.commits.notify();
  }
}
