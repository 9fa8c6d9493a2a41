import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { WatchlistChanges } from '../../../watchlists/watchlist-changes';
import { FaceEnrolment } from '../../face-enrolment';
import type { TemplateInfo } from '../../face-watchlist.repository';
import type { AddFaceTemplate } from './add-face-template.command';

/** One more template of an enrolled subject (another picture, another model). */
@Injectable()
export class AddFaceTemplateUseCase extends UseCaseHandler<AddFaceTemplate, TemplateInfo> {
  constructor(
    private readonly enrolment: FaceEnrolment,
    private readonly changes: WatchlistChanges,
  ) {
    super();
  }

  @UseCase(P.keepFaceEntries)
  async execute({ actor, entryId, template }: AddFaceTemplate): Promise<TemplateInfo> {
    const scope = RegionScope.of(actor);
    this.enrolment.checkTemplate(template);
    return this.changes.change(scope, async (m) => {
      const entry = await this.enrolment.entryOf(m, scope, entryId);
      return this.enrolment.addTemplate(m, actor, entry, template);
    });
  }
}
