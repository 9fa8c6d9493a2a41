import { Injectable } from '@nestjs/common';
import { recognition, derivedUuid } from '@safecity/contracts';
import { RegionAccess, RegionScope } from '@safecity/security';
import type { EntityManager } from 'typeorm';
import type { AcceptedDetection, DetectionAnalyser } from '../pipeline/detection-analysis';
import { BehaviourAlertRaiser } from './behaviour-alert-raiser';
import { judge, SEVERITY_MESSAGE, strongest, type BehaviourRule } from './behaviour-rule';
import { BehaviourRulesRepository } from './behaviour-rules.repository';

/** Analytics events through their camera's rules: those that pass become alerts. */
@Injectable()
export class BehaviourAnalyser implements DetectionAnalyser {
  readonly name = 'behaviour-rules';

  constructor(
    private readonly access: RegionAccess,
    private readonly rules: BehaviourRulesRepository,
    private readonly alerts: BehaviourAlertRaiser,
  ) {}

  async analyse(batch: readonly AcceptedDetection[], manager: EntityManager): Promise<void> {
    const events = batch.filter((a) => a.detection.behaviour);
    if (events.length === 0) return;
    const cameras = [...new Set(events.map((a) => a.camera.id))];
    const armed = await this.access.within(RegionScope.allRegions(), (m) => this.rules.armed(m, cameras));
    const byCamera = new Map<string, BehaviourRule[]>();
    for (const rule of armed) byCamera.set(rule.cameraId, [...(byCamera.get(rule.cameraId) ?? []), rule]);
    const now = new Date();
    for (const { detection, camera } of events) {
      const observation = detection.behaviour as recognition.BehaviourObservation;
      const observedAt = detection.observedAt ?? detection.receivedAt ?? now;
      const passing = (byCamera.get(camera.id) ?? []).filter(
        (rule) => judge(rule, observation, observedAt, detection.frameBox) === 'fires',
      );
      const rule = strongest(passing);
      if (!rule) continue;
      const alert: recognition.BehaviourAlert = {
        id: derivedUuid(`behaviour-alert:${detection.id}`),
        detectionId: detection.id,
        type: observation.type,
        severity: SEVERITY_MESSAGE[rule.severity],
        confidence: observation.confidence,
        cameraId: camera.id,
        videoSystemId: camera.videoSystemId,
        regionCode: camera.regionCode,
        location: detection.location ?? { lat: camera.lat, lon: camera.lon },
        observedAt,
        raisedAt: now,
        ruleId: rule.id,
        ruleName: observation.ruleName,
        objectCount: observation.objectCount,
        dwellSeconds: observation.dwellSeconds,
        media: detection.media ?? [],
      };
      await this.alerts.raise(manager, alert, rule.behaviour, rule.severity);
    }
  }
}
