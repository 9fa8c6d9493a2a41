import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { ConflictFieldException, NotFoundError } from '@safecity/service-kit';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import { CameraHealthRepository } from '../../camera-health.repository';
import type { HeartbeatInput } from '../../health-model';
import { HealthLedger, regionsOf, type CameraHealthView } from '../../health-ledger';
import type { ReportCameraHeartbeat } from './report-camera-heartbeat.command';

/** One camera's heartbeat, from its own video system's key; answers the camera's health. */
@Injectable()
export class ReportCameraHeartbeatUseCase extends UseCaseHandler<ReportCameraHeartbeat, CameraHealthView> {
  constructor(
    private readonly ledger: HealthLedger,
    private readonly repo: CameraHealthRepository,
  ) {
    super();
  }

  @UseCase(P.reportHeartbeat)
  async execute({ actor, cameraId, heartbeat }: ReportCameraHeartbeat): Promise<CameraHealthView> {
    const now = this.ledger.now();
    const scope = RegionScope.of(actor);
    return this.ledger.inScope(scope, async (manager) => {
      const camera = await this.repo.cameraHealth(manager, cameraId, regionsOf(scope));
      if (!camera) throw new NotFoundError(`camera ${cameraId} not found`);
      this.ledger.assertOwnSystem(actor, camera.videoSystemId, `camera ${cameraId} not found`);
      if (camera.lifecycle === 'decommissioned') {
        throw new ConflictFieldException('id', 'camera is decommissioned and not monitored');
      }
      const input: HeartbeatInput = {
        videoSystemId: camera.videoSystemId,
        observedAt: this.ledger.observedAtFromRequest(heartbeat.observedAt, now),
        fromSystem: false,
        cameras: [
          {
            cameraId: camera.cameraId,
            condition: heartbeat.status ?? 'ok',
            detail: heartbeat.detail ?? null,
          },
        ],
      };
      const systems = await this.repo.videoSystems(manager, [camera.videoSystemId], null);
      await this.ledger.apply(manager, [input], systems, now);
      return this.ledger.toView((await this.repo.cameraHealth(manager, camera.cameraId, null))!);
    });
  }
}
