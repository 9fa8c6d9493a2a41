import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import { CameraHealthRepository } from '../../camera-health.repository';
import { HealthLedger, regionsOf, type CameraHealthView } from '../../health-ledger';
import type { ReadCameraHealth } from './read-camera-health.command';

/** A camera's published and observed status, last heartbeat and expected interval. */
@Injectable()
export class ReadCameraHealthUseCase extends UseCaseHandler<ReadCameraHealth, CameraHealthView> {
  constructor(
    private readonly ledger: HealthLedger,
    private readonly repo: CameraHealthRepository,
  ) {
    super();
  }

  @UseCase(P.readHealth)
  async execute({ actor, cameraId }: ReadCameraHealth): Promise<CameraHealthView> {
    const scope = RegionScope.of(actor);
    const row = await this.ledger.inScope(scope, (manager) =>
      this.repo.cameraHealth(manager, cameraId, regionsOf(scope)),
    );
    if (!row) throw new NotFoundError(`camera ${cameraId} not found`);
    return this.ledger.toView(row);
  }
}
