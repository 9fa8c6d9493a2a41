import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { ConflictFieldException, NotFoundError } from '@safecity/service-kit';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import { CameraHealthRepository } from '../../camera-health.repository';
import type { HeartbeatInput, HeartbeatOutcome } from '../../health-model';
import { HealthLedger, regionsOf } from '../../health-ledger';
import type { ReportSystemHeartbeat } from './report-system-heartbeat.command';

/** A video system's heartbeat with the cameras it sees: they are seen, online or at fault. */
@Injectable()
export class ReportSystemHeartbeatUseCase extends UseCaseHandler<ReportSystemHeartbeat, HeartbeatOutcome> {
  constructor(
    private readonly ledger: HealthLedger,
    private readonly repo: CameraHealthRepository,
  ) {
    super();
  }

  @UseCase(P.reportHeartbeat)
  async execute({ actor, videoSystemId, heartbeat }: ReportSystemHeartbeat): Promise<HeartbeatOutcome> {
    this.ledger.assertOwnSystem(actor, videoSystemId, `video system ${videoSystemId} not found`);
    const now = this.ledger.now();
    const scope = RegionScope.of(actor);
    return this.ledger.inScope(scope, async (manager) => {
      const [system] = await this.repo.videoSystems(manager, [videoSystemId], regionsOf(scope));
      if (!system) throw new NotFoundError(`video system ${videoSystemId} not found`);
      if (system.status === 'decommissioned') {
        throw new ConflictFieldException('id', 'video system is decommissioned');
      }
      const input: HeartbeatInput = {
        videoSystemId: system.id,
        observedAt: this.ledger.observedAtFromRequest(heartbeat.observedAt, now),
        fromSystem: true,
        cameras: (heartbeat.cameras ?? []).map((c) => ({
          externalId: c.externalId,
          condition: c.status ?? 'ok',
          detail: c.detail ?? null,
        })),
      };
      const [outcome] = await this.ledger.apply(manager, [input], [system], now);
      return outcome;
    });
  }
}
