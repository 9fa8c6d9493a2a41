import { EventPattern, Payload } from '@nestjs/microservices';
import { Topics, type incidents as contract } from '@safecity/contracts';
import { EventConsumer, type ConsumedEvent } from '@safecity/messaging';
import type { Principal } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import { citizenReportDtoFrom } from './from-contract';
import { TakeInCitizenReportUseCase } from './use-cases';

/**
 * `safecity.citizen-reports.v1`: reports that citizen channel gateways publish. A report the
 * intake's rules refuse is invalid data, dead-lettered at once.
 */
@EventConsumer()
export class CitizenReportsConsumer {
  constructor(private readonly takeInCitizenReport: TakeInCitizenReportUseCase) {}

  @EventPattern(Topics.CitizenReports)
  async onReport(@Payload() event: ConsumedEvent<contract.CitizenReportSubmitted>) {
    const report = event.data.report;
    if (!report?.id)
      throw new InvalidError({ field: 'report.id', reason: 'CitizenReportSubmitted without a report id' });
    const gateway: Principal = { kind: 'service', subject: event.source, roles: ['service'], regions: 'all' };
    await this.takeInCitizenReport.execute({
      actor: gateway,
      event,
      reportId: report.id,
      report: await citizenReportDtoFrom(report),
    });
  }
}
