import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { InvalidError, NotFoundError } from '@safecity/service-kit';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import { CameraHealthRepository } from '../../camera-health.repository';
import { HealthLedger, regionsOf, type UptimeReport } from '../../health-ledger';
import { almatyDate, almatyDayStart, dailyUptime, UPTIME_TIME_ZONE } from '../../uptime';
import type { ReadCameraUptime } from './read-camera-uptime.command';

const DAY_MS = 86_400_000;

/** A malformed date range: 400 whose message is the reason, as the range is read. */
function badRange(field: 'from' | 'to', reason: string): InvalidError {
  return new InvalidError({ field, reason }, { malformed: true, message: reason });
}

/** Per-day uptime from the observed-status history; days are Almaty calendar days. */
@Injectable()
export class ReadCameraUptimeUseCase extends UseCaseHandler<ReadCameraUptime, UptimeReport> {
  constructor(
    private readonly ledger: HealthLedger,
    private readonly repo: CameraHealthRepository,
  ) {
    super();
  }

  @UseCase(P.readHealth)
  async execute({ actor, cameraId, from, to }: ReadCameraUptime): Promise<UptimeReport> {
    const now = this.ledger.now();
    const toDate = to ?? almatyDate(now);
    const toStart = almatyDayStart(toDate);
    if (toStart === null) throw badRange('to', 'to must be a calendar date YYYY-MM-DD');
    const fromDate = from ?? almatyDate(new Date(toStart - 6 * DAY_MS));
    const fromStart = almatyDayStart(fromDate);
    if (fromStart === null) throw badRange('from', 'from must be a calendar date YYYY-MM-DD');
    if (fromStart > toStart) throw badRange('from', 'from must not be after to');
    const days = Math.round((toStart - fromStart) / DAY_MS) + 1;
    const maxDays = this.ledger.settings.maxUptimeDays;
    if (days > maxDays) throw badRange('to', `at most ${maxDays} days per request`);
    const end = new Date(Math.min(toStart + DAY_MS, Math.max(now.getTime(), fromStart)));
    const scope = RegionScope.of(actor);
    const timeline = await this.ledger.inScope(scope, async (manager) => {
      const camera = await this.repo.cameraHealth(manager, cameraId, regionsOf(scope));
      if (!camera) throw new NotFoundError(`camera ${cameraId} not found`);
      return this.repo.statusTimeline(manager, camera.cameraId, new Date(fromStart), end);
    });
    return {
      cameraId,
      timeZone: UPTIME_TIME_ZONE,
      from: fromDate,
      to: toDate,
      days: dailyUptime({
        fromDate,
        days,
        initial: timeline.initial,
        transitions: timeline.transitions,
        now,
      }),
    };
  }
}
