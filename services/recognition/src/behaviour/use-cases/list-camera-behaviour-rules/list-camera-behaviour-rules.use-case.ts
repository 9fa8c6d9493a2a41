import { Injectable } from '@nestjs/common';
import { RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { regionsOf } from '../../../watchlists/watchlist-changes';
import type { BehaviourRule } from '../../behaviour-rule';
import { BehaviourRuleChanges } from '../../behaviour-rule-changes';
import { BehaviourRulesRepository } from '../../behaviour-rules.repository';
import type { ListCameraBehaviourRules } from './list-camera-behaviour-rules.command';

/** The alert rules of a camera in the caller's regions (none for another region's camera). */
@Injectable()
export class ListCameraBehaviourRulesUseCase extends UseCaseHandler<
  ListCameraBehaviourRules,
  BehaviourRule[]
> {
  constructor(
    private readonly rules: BehaviourRulesRepository,
    private readonly changes: BehaviourRuleChanges,
  ) {
    super();
  }

  @UseCase(P.readBehaviourRules)
  async execute({ actor, cameraId }: ListCameraBehaviourRules): Promise<BehaviourRule[]> {
    const scope = RegionScope.of(actor);
    return this.changes.inScope(scope, (m) => this.rules.ofCamera(m, regionsOf(scope), cameraId));
  }
}
