import { Injectable } from '@nestjs/common';
import { UseCase, UseCaseHandler } from '@safecity/security';
import { INCIDENTS_POLICIES as P } from '../../../incidents.policies';
import type { Sop } from '../../sop';
import { SopPublication } from '../../sop-publication';
import type { PublishNationalSop } from './publish-national-sop.command';

/**
 * A new version of the category's national checklist, by national roles only: every region
 * without its own gets it from now on; incidents already open keep theirs.
 */
@Injectable()
export class PublishNationalSopUseCase extends UseCaseHandler<PublishNationalSop, Sop> {
  constructor(private readonly publication: SopPublication) {
    super();
  }

  @UseCase(P.publishNationalSop)
  async execute({ actor, category, checklist }: PublishNationalSop): Promise<Sop> {
    return this.publication.publish(category, null, checklist, actor);
  }
}
