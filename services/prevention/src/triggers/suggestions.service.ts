import { Injectable, NotFoundException } from '@nestjs/common';
import { AuditLog, RegionScope, UseCase, type Principal } from '@safecity/security';
import { PREVENTION_POLICIES as P } from '../prevention.policies';
import { UnprocessableFieldException } from '@safecity/service-kit';
import { RegionAccess } from '../access/region-access';
import { CasesRepository } from '../cases/cases.repository';
import { CasesService } from '../cases/cases.service';
import type { CaseView } from '../cases/case-view';
import { DEFAULT_REPEAT_RULE } from './incident-triggers.service';
import { IncidentsRepository, type Suggestion } from './incidents.repository';
import type {
  AcceptSuggestionDto,
  DismissSuggestionDto,
  ListSuggestionsQueryDto,
  TriggerSettingsDto,
} from './suggestion.dto';

const regionsOf = (scope: RegionScope) => (scope.all ? null : [...scope.regions]);

/** Suggestions raised by repeat-incident rules, and the officer's decision on each. */
@Injectable()
export class SuggestionsService {
  constructor(
    private readonly access: RegionAccess,
    private readonly incidents: IncidentsRepository,
    private readonly cases: CasesService,
    private readonly caseRows: CasesRepository,
    private readonly auditLog: AuditLog,
  ) {}

  @UseCase(P.decideSuggestions)
  list(query: ListSuggestionsQueryDto, actor: Principal): Promise<Suggestion[]> {
    const scope = RegionScope.of(actor);
    return this.access.run(scope, (m) => this.incidents.listSuggestions(m, regionsOf(scope), query));
  }

  /**
   * Opens the case the officer decided on, about the subject the officer chose (kind and name);
   * the subject's address is the suggestion's unless the officer gives another.
   */
  @UseCase(P.decideSuggestions)
  async accept(id: string, dto: AcceptSuggestionDto, actor: Principal): Promise<CaseView> {
    const scope = RegionScope.of(actor);
    const suggestion = await this.access.run(scope, (m) =>
      this.incidents.findSuggestion(m, id, regionsOf(scope)),
    );
    if (!suggestion) throw new NotFoundException(`suggestion ${id} not found`);
    if (suggestion.status !== 'pending') {
      throw new UnprocessableFieldException('status', `the suggestion was already ${suggestion.status}`);
    }
    const subject = {
      ...dto.subject,
      address: dto.subject.address ?? suggestion.address ?? suggestion.addressKey,
    };
    return this.cases.open(
      {
        regionCode: suggestion.regionCode,
        districtCode: dto.districtCode ?? suggestion.districtCode ?? undefined,
        subject,
        category: dto.category,
        legalBasis: dto.legalBasis,
        ownerAgency: dto.ownerAgency,
        responsibleOfficer: dto.responsibleOfficer,
        agencies: dto.agencies,
        reviewIntervalDays: dto.reviewIntervalDays,
      },
      actor,
      {
        suggestionId: suggestion.id,
        triggeredAt: suggestion.firedAt,
        onOpened: async (m, caseId) => {
          // Re-read under lock: another officer may have decided meanwhile.
          const current = await this.incidents.findSuggestion(m, id, regionsOf(scope));
          if (current?.status !== 'pending') {
            throw new UnprocessableFieldException('status', 'the suggestion was decided meanwhile');
          }
          await this.incidents.decide(m, id, { status: 'accepted', by: actor.subject, note: null, caseId });
          for (const incident of await this.incidents.incidentTimes(m, suggestion.incidentIds)) {
            await this.incidents.link(m, caseId, incident);
            await this.caseRows.addTimeline(
              m,
              { id: caseId, regionCode: suggestion.regionCode },
              {
                kind: 'incident',
                actor: actor.subject,
                incidentId: incident.id,
                details: { suggestionId: id },
              },
            );
          }
        },
      },
    );
  }

  @UseCase(P.decideSuggestions)
  async dismiss(id: string, dto: DismissSuggestionDto, actor: Principal): Promise<Suggestion> {
    const scope = RegionScope.of(actor);
    return this.access.run(scope, async (m) => {
      const suggestion = await this.incidents.findSuggestion(m, id, regionsOf(scope));
      if (!suggestion) throw new NotFoundException(`suggestion ${id} not found`);
      if (suggestion.status !== 'pending') {
        throw new UnprocessableFieldException('status', `the suggestion was already ${suggestion.status}`);
      }
      await this.incidents.decide(m, id, {
        status: 'dismissed',
        by: actor.subject,
        note: dto.reason,
        caseId: null,
      });
      await this.auditLog.record(m, {
        actor,
        action: 'update',
        objectType: 'prevention-suggestion',
        objectId: id,
        regionCode: suggestion.regionCode,
        details: { decision: 'dismissed' },
      });
      return (await this.incidents.findSuggestion(m, id, null)) as Suggestion;
    });
  }

  @UseCase(P.decideSuggestions)
  async settings(regionCode: string, actor: Principal) {
    const scope = RegionScope.of(actor);
    if (!scope.includes(regionCode)) throw new NotFoundException(`region ${regionCode} not found`);
    const found = await this.access.run(scope, (m) => this.incidents.settings(m, regionCode));
    const rule = found ?? DEFAULT_REPEAT_RULE;
    return {
      regionCode,
      repeatWindowDays: rule.windowDays,
      repeatThreshold: rule.threshold,
      default: !found,
    };
  }

  @UseCase(P.decideSuggestions)
  async saveSettings(regionCode: string, dto: TriggerSettingsDto, actor: Principal) {
    const scope = RegionScope.of(actor);
    if (!scope.includes(regionCode)) throw new NotFoundException(`region ${regionCode} not found`);
    await this.access.run(scope, (m) =>
      this.incidents.saveSettings(m, regionCode, dto.repeatWindowDays, dto.repeatThreshold, actor.subject),
    );
    return this.settings(regionCode, actor);
  }
}
