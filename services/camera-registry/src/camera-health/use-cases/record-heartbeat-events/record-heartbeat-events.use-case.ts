import { Injectable, Logger } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import { CameraHealthRepository } from '../../camera-health.repository';
import type { HeartbeatInput } from '../../health-model';
import { HealthLedger } from '../../health-ledger';
import type { RecordHeartbeatEvents } from './record-heartbeat-events.command';

/**
 * A batch of `safecity.camera-heartbeats.v1` records, in one transaction. A record that can never
 * be applied fails the batch with an invalid-data error, which the event transport dead-letters
 * after the dispatcher has retried the records one by one, so only that record is lost. A
 * heartbeat too old by the time it is read (consumer lag) is dropped: applying it would report a
 * past state as now. There is no inbox: a heartbeat only counts if it is newer than the one
 * stored, so a redelivery changes nothing, and an inbox row per heartbeat is the write per
 * heartbeat this avoids.
 */
@Injectable()
export class RecordHeartbeatEventsUseCase extends UseCaseHandler<RecordHeartbeatEvents, void> {
  private readonly logger = new Logger('CameraHealth');

  constructor(
    private readonly ledger: HealthLedger,
    private readonly repo: CameraHealthRepository,
  ) {
    super();
  }

  @UseCase(P.recordHeartbeatEvents)
  async execute({ heartbeats }: RecordHeartbeatEvents): Promise<void> {
    const now = this.ledger.now();
    const inputs: HeartbeatInput[] = [];
    for (const event of heartbeats) {
      const input = this.ledger.fromEvent(event, now);
      if (input) inputs.push(input);
    }
    if (inputs.length === 0) return;
    // The bus authenticated the producer; heartbeats on it are the platform's own business.
    await this.ledger.inScope(RegionScope.allRegions(), async (manager) => {
      const systems = await this.repo.videoSystems(
        manager,
        [...new Set(inputs.map((i) => i.videoSystemId))],
        null,
      );
      const known = new Map(systems.map((s) => [s.id, s]));
      const unknown = inputs.find((i) => !known.has(i.videoSystemId));
      if (unknown) {
        throw new InvalidError({
          field: 'videoSystemId',
          reason: `unknown video system ${unknown.videoSystemId}`,
        });
      }
      const live = inputs.filter((i) => known.get(i.videoSystemId)!.status !== 'decommissioned');
      if (live.length < inputs.length) {
        this.logger.warn({
          msg: 'heartbeats of decommissioned video systems dropped',
          count: inputs.length - live.length,
        });
      }
      if (live.length > 0) await this.ledger.apply(manager, live, systems, now);
    });
  }
}
