import type { ConsumedEvent } from '@safecity/messaging';
import type { Command } from '@safecity/security';
import type { CitizenReportDto } from '../../citizen-report.dto';

export interface TakeInCitizenReport extends Command {
  /** The `CitizenReportSubmitted` as consumed: its id keeps the redelivery out. */
  event: Pick<ConsumedEvent, 'id' | 'topic'>;
  /** The id the gateway gave the report, which it keeps here. */
  reportId: string;
  /** The report, checked by the rules of the REST intake. */
  report: CitizenReportDto;
}
