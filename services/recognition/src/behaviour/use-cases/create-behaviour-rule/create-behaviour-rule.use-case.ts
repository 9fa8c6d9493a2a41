import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { randomUUID } from 'node:crypto';
import { CameraDirectoryRepository } from '../../../camera-directory/camera-directory.repository';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import type { BehaviourRule } from '../../behaviour-rule';
import { BehaviourRuleChanges, checkedRuleValues, DEFAULT_TIME_ZONE } from '../../behaviour-rule-changes';
import { BehaviourRulesRepository } from '../../behaviour-rules.repository';
import type { CreateBehaviourRule } from './create-behaviour-rule.command';

/** An alert rule of a camera in the caller's regions: which behaviour, how sure, when, where. */
@Injectable()
export class CreateBehaviourRuleUseCase extends UseCaseHandler<CreateBehaviourRule, BehaviourRule> {
  constructor(
    private readonly rules: BehaviourRulesRepository,
    private readonly cameras: CameraDirectoryRepository,
    private readonly changes: BehaviourRuleChanges,
  ) {
    super();
  }

  @UseCase(P.keepBehaviourRules)
  async execute({ actor, cameraId, rule: fields }: CreateBehaviourRule): Promise<BehaviourRule> {
    const scope = RegionScope.of(actor);
    // A camera of another region is answered like an unknown one.
    const camera = await this.cameras.findById(cameraId, scope);
    if (!camera) throw new NotFoundError(`camera ${cameraId} not found`);
    const values = checkedRuleValues({
      behaviour: fields.behaviour,
      minConfidence: fields.minConfidence,
      schedule: fields.schedule ?? [],
      timeZone: fields.timeZone ?? DEFAULT_TIME_ZONE,
      zone: fields.zone ?? null,
      severity: fields.severity,
      enabled: fields.enabled ?? true,
    });
    return this.changes.inScope(scope, async (m) => {
      const rule = await this.rules.insert(m, {
        ...values,
        id: randomUUID(),
        cameraId: camera.id,
        regionCode: camera.regionCode,
        createdBy: actor.subject,
      });
      await this.changes.record(m, actor, 'create', rule);
      return rule;
    });
  }
}
