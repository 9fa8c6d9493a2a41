import { Injectable } from '@nestjs/common';
import { RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { isPersonalSubject } from '../../../domain/vocabulary';
import { PREVENTION_POLICIES as P } from '../../../prevention.policies';
import { CaseAudit, requiredPurpose } from '../../case-audit';
import { CasesRepository, type CaseDetails } from '../../cases.repository';
import type { GetCase } from './get-case.command';

export interface CaseRead {
  details: CaseDetails;
  /** Whether the read of the subject's personal data was audited, so the answer may show it. */
  subjectShown: boolean;
}

/**
 * The case with its subject. The read and its audit record commit together; another region's
 * case is answered like a missing one.
 */
@Injectable()
export class GetCaseUseCase extends UseCaseHandler<GetCase, CaseRead> {
  constructor(
    private readonly cases: CasesRepository,
    private readonly access: RegionAccess,
    private readonly audit: CaseAudit,
  ) {
    super();
  }

  @UseCase(P.getCase)
  async execute({ actor, id, purpose, disclosure }: GetCase): Promise<CaseRead> {
    const scope = RegionScope.of(actor);
    const stated =
      disclosure === 'reference'
        ? requiredPurpose(purpose, 'why the cases are read, 5 to 300 characters')
        : purpose;
    return this.access.run(scope, async (m) => {
      const row = await this.cases.findCase(m, id, scope);
      if (!row) throw new NotFoundError(`case ${id} not found`);
      const details = await this.cases.details(m, row);
      if (disclosure === 'reference') {
        await this.audit.caseDisclosed(m, actor, row, stated as string);
        return { details, subjectShown: false };
      }
      const personal = isPersonalSubject(details.subject.kind) && !details.subject.erasedAt;
      if (personal) await this.audit.subjectRead(m, actor, row, details.subject.id, stated, 'case');
      return { details, subjectShown: personal };
    });
  }
}
