import type { Command } from '@safecity/security';
import type { CitizenReportDto } from '../../citizen-report.dto';

export interface SubmitCitizenReport extends Command {
  /** The report as the channel or the hotline operator gives it, checked at the edge. */
  report: CitizenReportDto;
}
