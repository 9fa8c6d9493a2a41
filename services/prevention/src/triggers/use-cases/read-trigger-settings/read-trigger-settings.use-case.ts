import { Injectable } from '@nestjs/common';
import { RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { PREVENTION_POLICIES as P } from '../../../prevention.policies';
import { IncidentsRepository } from '../../incidents.repository';
import { DEFAULT_REPEAT_RULE } from '../../trigger-rules';
import type { ReadTriggerSettings } from './read-trigger-settings.command';

export interface TriggerSettings {
  regionCode: string;
  repeatWindowDays: number;
  repeatThreshold: number;
  /** True while the region runs on the platform's default rule. */
  default: boolean;
}

/** The region's repeat-incident rule: how many incidents at one address within how many days. */
@Injectable()
export class ReadTriggerSettingsUseCase extends UseCaseHandler<ReadTriggerSettings, TriggerSettings> {
  constructor(
    private readonly access: RegionAccess,
    private readonly incidents: IncidentsRepository,
  ) {
    super();
  }

  @UseCase(P.decideSuggestions)
  async execute({ actor, regionCode }: ReadTriggerSettings): Promise<TriggerSettings> {
    const scope = RegionScope.of(actor);
    // Another region's settings are answered like an unknown region's.
    if (!scope.includes(regionCode)) throw new NotFoundError(`region ${regionCode} not found`);
    const found = await this.access.run(scope, (m) => this.incidents.settings(m, regionCode));
    const rule = found ?? DEFAULT_REPEAT_RULE;
    return {
      regionCode,
      repeatWindowDays: rule.windowDays,
      repeatThreshold: rule.threshold,
      default: !found,
    };
  }
}
