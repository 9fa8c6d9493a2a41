import { Injectable } from '@nestjs/common';
import { EventTypes, recognition, Topics } from '@safecity/contracts';
import { Outbox } from '@safecity/messaging';
import { RegionAccess, RegionScope } from '@safecity/security';
import type { EntityManager } from 'typeorm';

/**
 * Raises the alerts the behaviour rules find, inside the transaction that stores the detections:
 * the alert and its event. Operations centers and incidents read them (`GetBehaviourAlertUseCase`).
 */
@Injectable()
export class BehaviourAlertRaiser {
  constructor(
    private readonly outbox: Outbox,
    private readonly access: RegionAccess,
  ) {}

  /** Stores the alert and its event in the detection's transaction; false if already raised. */
  async raise(
    manager: EntityManager,
    alert: recognition.BehaviourAlert,
    behaviour: string,
    severity: string,
  ) {
    return this.access.within(RegionScope.allRegions(), async (m) => {
      const inserted: unknown[] = await m.query(
        `INSERT INTO behaviour_alerts (id, detection_id, rule_id, camera_id, region_code, behaviour, severity,
           observed_at, raised_at, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING RETURNING 1`,
        [
          alert.id,
          alert.detectionId,
          alert.ruleId,
          alert.cameraId,
          alert.regionCode,
          behaviour,
          severity,
          alert.observedAt,
          alert.raisedAt,
          Buffer.from(recognition.BehaviourAlert.encode(alert).finish()),
        ],
      );
      if (inserted.length === 0) return false;
      await this.outbox.add(m, {
        id: alert.id,
        topic: Topics.Alerts,
        key: alert.cameraId,
        type: EventTypes.BehaviourAlertRaised,
        payload: recognition.BehaviourAlertRaised.encode({ alert }).finish(),
        subject: `alert/${alert.id}`,
        region: alert.regionCode,
        time: alert.raisedAt ?? undefined,
      });
      return true;
    });
  }
}
