import { Controller } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { status, type Metadata } from '@grpc/grpc-js';
import {
  incidents as contract,
  IncidentsControllerMethods,
  type IncidentsController,
} from '@safecity/contracts';
import {
  AuditLog,
  RegionScope,
  Roles,
  grpcCallerOf,
  purposeOfRequest,
  type Principal,
} from '@safecity/security';
import {
  MAX_PAGE_SIZE,
  decodeCursor,
  encodeCursor,
  invalidArgument,
  rpcErrorOf,
} from '@safecity/service-kit';
import type { CitizenReportDto } from '../citizen-reports/citizen-report.dto';
import { CitizenReportsService } from '../citizen-reports/citizen-reports.service';
import { citizenReportDtoFrom } from '../citizen-reports/from-contract';
import { ResolutionNames, StateNames } from '../incidents/enum-names';
import {
  auditFaceMatchReads,
  DEFAULT_READ_PURPOSE,
  type IncidentReader,
} from '../incidents/face-match-reads';
import { toContractIncident, type IncidentRecord } from '../incidents/incident.model';
import { IncidentsRepository, LIST_CURSOR, type ListCursor } from '../incidents/incidents.repository';
import { IncidentsService } from '../incidents/incidents.service';
import type { VisualCheck } from '../lifecycle/state-machine';
import { visibleSourceKinds } from '../live/visibility';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_BATCH = 500;

function readerOf(caller: Principal, purpose: string | undefined): IncidentReader {
  return { actor: caller, purpose: purposeOfRequest(purpose) ?? DEFAULT_READ_PURPOSE };
}

const VISUAL_CHECK_LIMITS = { plate: 20, make: 60, colour: 40 } as const;

/** The visual check of a transition, bounded as over REST; absent when the request carries none. */
function visualCheckOf(check: contract.VisualCheck | null | undefined): VisualCheck | undefined {
  if (!check) return undefined;
  for (const field of ['plate', 'make', 'colour'] as const) {
    if ((check[field] ?? '').length > VISUAL_CHECK_LIMITS[field]) {
      throw invalidArgument(
        `visual_check.${field}`,
        `must be at most ${VISUAL_CHECK_LIMITS[field]} characters`,
      );
    }
  }
  return { plate: check.plate ?? '', make: check.make ?? '', colour: check.colour ?? '' };
}

/** `Incidents` for other services: reads, lifecycle steps and citizen-report intake. */
@Controller()
@IncidentsControllerMethods()
@Roles('service', 'operator', 'supervisor', 'admin', 'analyst')
export class IncidentsGrpcController implements IncidentsController {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly repository: IncidentsRepository,
    private readonly reports: CitizenReportsService,
    private readonly audit: AuditLog,
  ) {}

  async getIncident(
    request: contract.GetIncidentRequest,
    metadata?: Metadata,
  ): Promise<contract.GetIncidentResponse> {
    if (!UUID.test(request.id ?? '')) throw invalidArgument('id', 'must be a UUID');
    const caller = grpcCallerOf(metadata);
    const [incident] = await this.load([request.id], caller, readerOf(caller, request.purpose));
    if (!incident)
      throw new RpcException({ code: status.NOT_FOUND, message: `incident ${request.id} not found` });
    return { incident };
  }

  async batchGetIncidents(
    request: contract.BatchGetIncidentsRequest,
    metadata?: Metadata,
  ): Promise<contract.BatchGetIncidentsResponse> {
    const ids = [...new Set(request.ids ?? [])];
    if (ids.length > MAX_BATCH) throw invalidArgument('ids', `at most ${MAX_BATCH} ids per call`);
    const bad = ids.find((id) => !UUID.test(id));
    if (bad !== undefined) throw invalidArgument('ids', `${JSON.stringify(bad)} is not a UUID`);
    const caller = grpcCallerOf(metadata);
    const found = await this.load(ids, caller, readerOf(caller, request.purpose));
    const foundIds = new Set(found.map((i) => i.id));
    return { incidents: found, missingIds: ids.filter((id) => !foundIds.has(id)) };
  }

  async listIncidents(
    request: contract.ListIncidentsRequest,
    metadata?: Metadata,
  ): Promise<contract.ListIncidentsResponse> {
    const caller = grpcCallerOf(metadata);
    const scope = RegionScope.of(caller);
    if (!/^[A-Z0-9]{2,10}$/.test(request.regionCode ?? ''))
      throw invalidArgument('region_code', 'is required');
    if (!scope.includes(request.regionCode)) {
      throw new RpcException({
        code: status.PERMISSION_DENIED,
        message: `region ${request.regionCode} is outside your scope`,
      });
    }
    const pageSize = request.pageSize > 0 ? Math.min(request.pageSize, MAX_PAGE_SIZE) : 50;
    let after: ListCursor | undefined;
    try {
      after = decodeCursor(request.pageToken || undefined, LIST_CURSOR);
    } catch {
      throw invalidArgument('page_token', 'is not one this service issued');
    }
    const area = request.area;
    const rows = await this.incidents.inScope(scope, async (m) => {
      const page = await this.repository.list(
        m,
        {
          regionCode: request.regionCode,
          states: request.states,
          categories: request.categories,
          minPriority: request.minPriority || undefined,
          operationsCenterId: request.operationsCenterId || undefined,
          createdFrom: request.created?.startTime ?? undefined,
          createdTo: request.created?.endTime ?? undefined,
          visibleKinds: visibleSourceKinds(caller) ?? undefined,
          area:
            area?.southWest && area.northEast
              ? {
                  minLat: area.southWest.lat,
                  minLon: area.southWest.lon,
                  maxLat: area.northEast.lat,
                  maxLon: area.northEast.lon,
                }
              : undefined,
        },
        scope.all ? null : scope.regions,
        pageSize + 1,
        after,
      );
      const shown = page.slice(0, pageSize);
      const sources = await this.repository.sourcesOf(
        m,
        shown.map((i) => i.id),
      );
      return {
        page,
        incidents: shown.map((i) => toContractIncident(i, sources.get(i.id) ?? [])),
        last: shown.at(-1),
      };
    });
    return {
      incidents: rows.incidents,
      nextPageToken:
        rows.page.length > pageSize && rows.last
          ? encodeCursor({ createdAt: new Date(rows.last.createdAt).toISOString(), id: rows.last.id })
          : '',
    };
  }

  async transitionIncident(
    request: contract.TransitionIncidentRequest,
    metadata?: Metadata,
  ): Promise<contract.TransitionIncidentResponse> {
    const caller = grpcCallerOf(metadata);
    if (!UUID.test(request.id ?? '')) throw invalidArgument('id', 'must be a UUID');
    const to = StateNames.toName(request.targetState);
    if (to === 'unspecified') throw invalidArgument('target_state', 'is required');
    try {
      await this.incidents.transition(
        request.id,
        {
          to,
          reason: request.reason || undefined,
          resolution: request.resolution ? ResolutionNames.toName(request.resolution) : undefined,
          expectedVersion: request.expectedVersion || undefined,
          visualCheck: visualCheckOf(request.visualCheck),
        },
        caller,
      );
    } catch (error) {
      throw rpcErrorOf(error);
    }
    const [incident] = await this.load([request.id], caller);
    return { incident };
  }

  async submitCitizenReport(
    request: contract.SubmitCitizenReportRequest,
    metadata?: Metadata,
  ): Promise<contract.SubmitCitizenReportResponse> {
    const caller = grpcCallerOf(metadata);
    const report = request.report;
    if (!report) throw invalidArgument('report', 'is required');
    let dto: CitizenReportDto;
    try {
      dto = await citizenReportDtoFrom(report);
    } catch (error) {
      throw rpcErrorOf(error);
    }
    try {
      const submitted = await this.reports.submit(dto, caller);
      return {
        report: {
          ...report,
          id: submitted.reportId,
          receivedAt: new Date(submitted.acknowledgement.receivedAt),
        },
        incidentId: submitted.incidentId ?? '',
      };
    } catch (error) {
      throw rpcErrorOf(error);
    }
  }

  /** A read by `reader` of an incident with a face match is audited. */
  private async load(
    ids: string[],
    caller: Principal,
    reader?: IncidentReader,
  ): Promise<contract.Incident[]> {
    const scope = RegionScope.of(caller);
    const kinds = visibleSourceKinds(caller);
    return this.incidents.inScope(scope, async (m) => {
      const rows = (await this.repository.findByIds(m, ids)).filter(
        (i: IncidentRecord) =>
          scope.includes(i.regionCode) && (kinds === null || kinds.includes(i.sourceKind)),
      );
      const sources = await this.repository.sourcesOf(
        m,
        rows.map((i) => i.id),
      );
      if (reader) await auditFaceMatchReads(this.audit, m, reader, rows, sources);
      const byId = new Map(rows.map((i) => [i.id, toContractIncident(i, sources.get(i.id) ?? [])]));
      return ids.flatMap((id) => byId.get(id) ?? []);
    });
  }
}
