import { Injectable, NotFoundException } from '@nestjs/common';
import { EventTypes, recognition, Topics } from '@safecity/contracts';
import { Outbox } from '@safecity/messaging';
import { RegionScope, UseCase, type Principal } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../recognition.policies';
import type { EntityManager } from 'typeorm';
import { withinScope } from '../watchlists/watchlist';
import { regionsOf } from '../watchlists/watchlists.service';

/** Behaviour alerts: raised by the rules, read by operations centers and incidents. */
@Injectable()
export class BehaviourAlertsService {
  constructor(private readonly outbox: Outbox) {}

  /** Stores the alert and its event in the detection's transaction; false if already raised. */
  async raise(
    manager: EntityManager,
    alert: recognition.BehaviourAlert,
    behaviour: string,
    severity: string,
  ) {
    return withinScope(manager, RegionScope.allRegions(), async (m) => {
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

  /** The alert, or 404 when missing or outside the caller's regions. */
  @UseCase(P.getBehaviourAlert)
  async get(id: string, actor: Principal): Promise<recognition.BehaviourAlert> {
    const scope = RegionScope.of(actor);
    const rows: { detail: Buffer }[] = await this.outbox.transaction((tx) =>
      withinScope(tx, scope, (m) =>
        m.query(
          `SELECT detail FROM behaviour_alerts WHERE id = $1 AND ($2::text[] IS NULL OR region_code = ANY($2::text[]))`,
          [id, regionsOf(scope)],
        ),
      ),
    );
    if (!rows[0]) throw new NotFoundException(`behaviour alert ${id} not found`);
    return recognition.BehaviourAlert.decode(rows[0].detail);
  }
}
