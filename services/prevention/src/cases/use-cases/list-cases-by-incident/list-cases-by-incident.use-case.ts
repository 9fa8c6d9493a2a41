import { Injectable } from '@nestjs/common';
import { RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { PREVENTION_POLICIES as P } from '../../../prevention.policies';
import { CaseAudit, requiredPurpose } from '../../case-audit';
import { CasesRepository, type CaseDetails } from '../../cases.repository';
import type { ListCasesByIncident } from './list-cases-by-incident.command';

/** Most cases one incident can join (the people and places it involved). */
const MAX_CASES = 100;

/**
 * The cases of the caller's regions an incident joined, subjects by reference only; every case
 * read is recorded with the purpose.
 */
@Injectable()
export class ListCasesByIncidentUseCase extends UseCaseHandler<ListCasesByIncident, CaseDetails[]> {
  constructor(
    private readonly cases: CasesRepository,
    private readonly access: RegionAccess,
    private readonly audit: CaseAudit,
  ) {
    super();
  }

  @UseCase(P.listCasesByIncident)
  async execute({ actor, incidentId, purpose }: ListCasesByIncident): Promise<CaseDetails[]> {
    const scope = RegionScope.of(actor);
    const stated = requiredPurpose(purpose, 'why the cases are read, 5 to 300 characters');
    return this.access.run(scope, async (m) => {
      const rows = await this.cases.list(m, { incidentId, limit: MAX_CASES }, scope);
      const disclosed: CaseDetails[] = [];
      for (const row of rows) {
        disclosed.push(await this.cases.details(m, row));
        await this.audit.caseDisclosed(m, actor, row, stated);
      }
      return disclosed;
    });
  }
}
