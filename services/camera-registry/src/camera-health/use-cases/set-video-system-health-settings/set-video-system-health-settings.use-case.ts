import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import { CameraHealthRepository } from '../../camera-health.repository';
import { HealthLedger, regionsOf } from '../../health-ledger';
import type { SetVideoSystemHealthSettings } from './set-video-system-health-settings.command';

type VideoSystemHealthView = ReturnType<HealthLedger['systemView']>;

/** A video system's heartbeat interval, the default of its cameras; answers its health. */
@Injectable()
export class SetVideoSystemHealthSettingsUseCase extends UseCaseHandler<
  SetVideoSystemHealthSettings,
  VideoSystemHealthView
> {
  constructor(
    private readonly ledger: HealthLedger,
    private readonly repo: CameraHealthRepository,
  ) {
    super();
  }

  @UseCase(P.setHealthSettings)
  async execute({
    actor,
    videoSystemId,
    heartbeatIntervalSeconds,
  }: SetVideoSystemHealthSettings): Promise<VideoSystemHealthView> {
    const scope = RegionScope.of(actor);
    return this.ledger.inScope(scope, async (manager) => {
      const [system] = await this.repo.videoSystems(manager, [videoSystemId], regionsOf(scope));
      if (!system) throw new NotFoundError(`video system ${videoSystemId} not found`);
      await this.repo.setSystemInterval(manager, system.id, heartbeatIntervalSeconds);
      return this.ledger.systemView((await this.repo.videoSystemHealth(manager, system.id, null))!);
    });
  }
}
