import { Injectable } from '@nestjs/common';
import { RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { isPersonalSubject } from '../../../domain/vocabulary';
import { PREVENTION_POLICIES as P } from '../../../prevention.policies';
import { CaseAudit } from '../../case-audit';
import { CasesRepository } from '../../cases.repository';
import type { ReadCaseTimeline } from './read-case-timeline.command';

export type TimelineEntry = Awaited<ReturnType<CasesRepository['timeline']>>[number];

/** The case's timeline; its notes may speak of the person, so a person's or family's needs a purpose. */
@Injectable()
export class ReadCaseTimelineUseCase extends UseCaseHandler<ReadCaseTimeline, TimelineEntry[]> {
  constructor(
    private readonly cases: CasesRepository,
    private readonly access: RegionAccess,
    private readonly audit: CaseAudit,
  ) {
    super();
  }

  @UseCase(P.readTimeline)
  async execute({ actor, id, purpose }: ReadCaseTimeline): Promise<TimelineEntry[]> {
    const scope = RegionScope.of(actor);
    return this.access.run(scope, async (m) => {
      const row = await this.cases.findCase(m, id, scope);
      if (!row) throw new NotFoundError(`case ${id} not found`);
      const subject = await this.cases.findSubject(m, row.subjectId, scope);
      const entries = await this.cases.timeline(m, id);
      if (subject && isPersonalSubject(subject.kind) && !subject.erasedAt) {
        await this.audit.subjectRead(m, actor, row, subject.id, purpose, 'timeline');
      }
      return entries;
    });
  }
}
