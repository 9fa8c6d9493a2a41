import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import { CameraHealthRepository } from '../../camera-health.repository';
import { HealthLedger, regionsOf } from '../../health-ledger';
import type { ReadVideoSystemHealth } from './read-video-system-health.command';

type VideoSystemHealthView = ReturnType<HealthLedger['systemView']>;

/** A video system's last heartbeat and its monitored cameras by status. */
@Injectable()
export class ReadVideoSystemHealthUseCase extends UseCaseHandler<
  ReadVideoSystemHealth,
  VideoSystemHealthView
> {
  constructor(
    private readonly ledger: HealthLedger,
    private readonly repo: CameraHealthRepository,
  ) {
    super();
  }

  @UseCase(P.readHealth)
  async execute({ actor, videoSystemId }: ReadVideoSystemHealth): Promise<VideoSystemHealthView> {
    const scope = RegionScope.of(actor);
    const row = await this.ledger.inScope(scope, (manager) =>
      this.repo.videoSystemHealth(manager, videoSystemId, regionsOf(scope)),
    );
    if (!row) throw new NotFoundError(`video system ${videoSystemId} not found`);
    return this.ledger.systemView(row);
  }
}
