import { Injectable } from '@nestjs/common';
import { RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { regionsOf } from '../../../watchlists/watchlist-changes';
import { FalsePositivesRepository } from '../../false-positives.repository';
import type { CountFalsePositivesByCamera } from './count-false-positives-by-camera.command';

type CameraCounts = Awaited<ReturnType<FalsePositivesRepository['byCamera']>>;

/** Matches and alerts dismissed as false alarms, counted per camera, in the caller's regions. */
@Injectable()
export class CountFalsePositivesByCameraUseCase extends UseCaseHandler<
  CountFalsePositivesByCamera,
  CameraCounts
> {
  constructor(
    private readonly falsePositives: FalsePositivesRepository,
    private readonly access: RegionAccess,
  ) {
    super();
  }

  @UseCase(P.readFalsePositives)
  async execute({ actor, filter }: CountFalsePositivesByCamera): Promise<CameraCounts> {
    const scope = RegionScope.of(actor);
    return this.access.run(scope, (m) =>
      this.falsePositives.byCamera(m, { ...filter, regions: regionsOf(scope) }),
    );
  }
}
