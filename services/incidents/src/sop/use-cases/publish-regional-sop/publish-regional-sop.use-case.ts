import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { INCIDENTS_POLICIES as P } from '../../../incidents.policies';
import { checkRegionInScope, type Sop } from '../../sop';
import { SopPublication } from '../../sop-publication';
import type { PublishRegionalSop } from './publish-regional-sop.command';

/** A new version of a region's own checklist, by its supervisors: only its new incidents get it. */
@Injectable()
export class PublishRegionalSopUseCase extends UseCaseHandler<PublishRegionalSop, Sop> {
  constructor(private readonly publication: SopPublication) {
    super();
  }

  @UseCase(P.publishRegionalSop)
  async execute({ actor, category, regionCode, checklist }: PublishRegionalSop): Promise<Sop> {
    checkRegionInScope(regionCode, RegionScope.of(actor));
    return this.publication.publish(category, regionCode, checklist, actor);
  }
}
