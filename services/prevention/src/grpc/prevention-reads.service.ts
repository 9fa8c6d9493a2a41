import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { prevention } from '@safecity/contracts';
import { AuditLog, RegionScope, UseCase, type Principal } from '@safecity/security';
import { PREVENTION_POLICIES as P } from '../prevention.policies';
import { decodeCursor, encodeCursor } from '@safecity/service-kit';
import type { EntityManager } from 'typeorm';
import { RegionAccess } from '../access/region-access';
import { toCaseMessage } from '../cases/case-events';
import { CasesRepository, type CaseFilter, type CaseRow } from '../cases/cases.repository';
import { CASE_OBJECT } from '../cases/cases.service';
import {
  CATEGORY_MESSAGE,
  RISK_LEVELS,
  RISK_MESSAGE,
  STATUS_MESSAGE,
  SUBJECT_KIND_MESSAGE,
  type SubjectKind,
} from '../domain/vocabulary';

const keysOf = <K extends string>(map: Record<K, number>, values: number[]): K[] =>
  (Object.keys(map) as K[]).filter((k) => values.includes(map[k]));

/** Case reads for gRPC callers: each case read is audited with the caller's purpose. */
@Injectable()
export class PreventionReads {
  constructor(
    private readonly access: RegionAccess,
    private readonly cases: CasesRepository,
    private readonly auditLog: AuditLog,
  ) {}

  @UseCase(P.getCase)
  async getCase(id: string, actor: Principal, purpose: string): Promise<prevention.PreventionCase> {
    const scope = RegionScope.of(actor);
    return this.access.run(scope, async (m) => {
      const row = await this.cases.findCase(m, id, scope);
      if (!row) throw new NotFoundException(`case ${id} not found`);
      const [message] = await this.disclose(m, [row], actor, purpose);
      return message;
    });
  }

  @UseCase(P.listCases)
  async listCases(
    request: prevention.ListCasesRequest,
    actor: Principal,
    purpose: string,
  ): Promise<prevention.ListCasesResponse> {
    const scope = RegionScope.of(actor);
    if (!scope.includes(request.regionCode)) {
      throw new ForbiddenException(`region_code: region ${request.regionCode} is outside your regions`);
    }
    const limit = request.pageSize || 50;
    const subjectKinds = keysOf(SUBJECT_KIND_MESSAGE, [request.subjectKind]);
    const filter: CaseFilter = {
      regionCode: request.regionCode,
      districtCode: request.districtCode || undefined,
      statuses: keysOf(STATUS_MESSAGE, request.statuses ?? []),
      categories: keysOf(CATEGORY_MESSAGE, request.categories ?? []),
      riskLevels: request.minRiskLevel
        ? RISK_LEVELS.filter((l) => RISK_MESSAGE[l] >= request.minRiskLevel)
        : undefined,
      subjectKind: subjectKinds[0] as SubjectKind | undefined,
      responsibleOfficer: request.ownerId || undefined,
      after: decodeCursor(request.pageToken || undefined, { openedAt: 'timestamp', id: 'uuid' }),
      limit: limit + 1,
    };
    return this.access.run(scope, async (m) => {
      const rows = await this.cases.list(m, filter, scope);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        preventionCases: await this.disclose(m, page, actor, purpose),
        nextPageToken:
          rows.length > limit && last
            ? encodeCursor({ openedAt: last.openedAt.toISOString(), id: last.id })
            : '',
      };
    });
  }

  @UseCase(P.listCasesByIncident)
  async casesByIncident(
    incidentId: string,
    actor: Principal,
    purpose: string,
  ): Promise<prevention.ListCasesByIncidentResponse> {
    const scope = RegionScope.of(actor);
    return this.access.run(scope, async (m) => {
      const rows = await this.cases.list(m, { incidentId, limit: 100 }, scope);
      return { preventionCases: await this.disclose(m, rows, actor, purpose) };
    });
  }

  /** The cases as messages, each read recorded with the purpose and the case's legal basis. */
  private async disclose(m: EntityManager, rows: CaseRow[], actor: Principal, purpose: string) {
    const messages: prevention.PreventionCase[] = [];
    for (const row of rows) {
      messages.push(toCaseMessage(await this.cases.details(m, row), 'read'));
      await this.auditLog.record(m, {
        actor,
        action: 'read',
        objectType: CASE_OBJECT,
        objectId: row.id,
        regionCode: row.regionCode,
        purpose,
        legalBasis: row.legalBasis,
        details: { via: 'grpc' },
      });
    }
    return messages;
  }
}
