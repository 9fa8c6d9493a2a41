import { ReadCitizenReportStatusUseCase } from './read-citizen-report-status/read-citizen-report-status.use-case';
import { SubmitCitizenReportUseCase } from './submit-citizen-report/submit-citizen-report.use-case';
import { TakeInCitizenReportUseCase } from './take-in-citizen-report/take-in-citizen-report.use-case';

export { CITIZEN } from './read-citizen-report-status/read-citizen-report-status.command';
export { ReadCitizenReportStatusUseCase, SubmitCitizenReportUseCase, TakeInCitizenReportUseCase };

/** Every operation on citizen reports: intake over REST, gRPC and the bus, and the citizen's view. */
export const CITIZEN_REPORT_USE_CASES = [
  SubmitCitizenReportUseCase,
  TakeInCitizenReportUseCase,
  ReadCitizenReportStatusUseCase,
];
