import { Injectable } from '@nestjs/common';
import { RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { PREVENTION_POLICIES as P } from '../../../prevention.policies';
import { IncidentsRepository } from '../../incidents.repository';
import { DEFAULT_REPEAT_RULE } from '../../trigger-rules';
import type { TriggerSettings } from '../read-trigger-settings/read-trigger-settings.use-case';
import type { SaveTriggerSettings } from './save-trigger-settings.command';

/** Sets the region's repeat-incident rule; later incidents are judged by it. */
@Injectable()
export class SaveTriggerSettingsUseCase extends UseCaseHandler<SaveTriggerSettings, TriggerSettings> {
  constructor(
    private readonly access: RegionAccess,
    private readonly incidents: IncidentsRepository,
  ) {
    super();
  }

  @UseCase(P.decideSuggestions)
  async execute({ actor, regionCode, settings }: SaveTriggerSettings): Promise<TriggerSettings> {
    const scope = RegionScope.of(actor);
    if (!scope.includes(regionCode)) throw new NotFoundError(`region ${regionCode} not found`);
    const saved = await this.access.run(scope, async (m) => {
      await this.incidents.saveSettings(
        m,
        regionCode,
        settings.repeatWindowDays,
        settings.repeatThreshold,
        actor.subject,
      );
      return (await this.incidents.settings(m, regionCode)) ?? DEFAULT_REPEAT_RULE;
    });
    return {
      regionCode,
      repeatWindowDays: saved.windowDays,
      repeatThreshold: saved.threshold,
      default: false,
    };
  }
}
