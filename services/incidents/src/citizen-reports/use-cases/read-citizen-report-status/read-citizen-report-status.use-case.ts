import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { RegionTransaction } from '../../../access/region-transaction';
import { INCIDENTS_POLICIES as P } from '../../../incidents.policies';
import { citizenStatusOf, type CitizenReportStatus } from '../../citizen-report-status';
import { CitizenReportsRepository } from '../../citizen-reports.repository';
import type { ReadCitizenReportStatus } from './read-citizen-report-status.command';

export interface CitizenReportProgress {
  acknowledgementId: string;
  status: CitizenReportStatus;
  receivedAt: string;
  updatedAt: string;
}

/**
 * The citizen's view of their report, found by its acknowledgement id alone: its status and when
 * that status was reached (the report's receipt, or its incident's last change of state since),
 * never the incident's other changes.
 */
@Injectable()
export class ReadCitizenReportStatusUseCase extends UseCaseHandler<
  ReadCitizenReportStatus,
  CitizenReportProgress
> {
  constructor(
    private readonly transaction: RegionTransaction,
    private readonly reports: CitizenReportsRepository,
  ) {
    super();
  }

  @UseCase(P.citizenReportStatus)
  async execute({ acknowledgementId }: ReadCitizenReportStatus): Promise<CitizenReportProgress> {
    // The acknowledgement id is the key, whatever region the report is of.
    const row = await this.transaction.run(RegionScope.allRegions(), (m) =>
      this.reports.progressOf(m, acknowledgementId),
    );
    if (!row) throw new NotFoundError('no report with this acknowledgement id');
    return {
      acknowledgementId: row.acknowledgementId,
      status: citizenStatusOf(row.state),
      receivedAt: new Date(row.receivedAt).toISOString(),
      updatedAt: new Date(row.updatedAt).toISOString(),
    };
  }
}
