import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import { CameraHealthRepository } from '../../camera-health.repository';
import { HealthLedger, regionsOf, type CameraHealthView } from '../../health-ledger';
import type { SetCameraHealthSettings } from './set-camera-health-settings.command';

/** A camera's expected heartbeat interval; answers its health under the new interval. */
@Injectable()
export class SetCameraHealthSettingsUseCase extends UseCaseHandler<
  SetCameraHealthSettings,
  CameraHealthView
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
    cameraId,
    expectedIntervalSeconds,
  }: SetCameraHealthSettings): Promise<CameraHealthView> {
    const scope = RegionScope.of(actor);
    return this.ledger.inScope(scope, async (manager) => {
      const row = await this.repo.cameraHealth(manager, cameraId, regionsOf(scope));
      if (!row) throw new NotFoundError(`camera ${cameraId} not found`);
      await this.repo.setCameraInterval(manager, row.cameraId, expectedIntervalSeconds);
      return this.ledger.toView((await this.repo.cameraHealth(manager, row.cameraId, null))!);
    });
  }
}
