import { Controller } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { status, type Metadata } from '@grpc/grpc-js';
import {
  incidents as contract,
  IncidentsControllerMethods,
  type IncidentsController,
  isUuid,
} from '@safecity/contracts';
import {
  Operation,
  RegionScope,
  grpcCallerOf,
  purposeOfRequest,
  type Principal,
  isWellFormedRegionCode,
} from '@safecity/security';
import {
  MAX_PAGE_SIZE,
  decodeCursor,
  encodeCursor,
  invalidArgument,
  rethrowAsRpc,
  rpcErrorOf,
} from '@safecity/service-kit';
import type { CitizenReportDto } from '../citizen-reports/citizen-report.dto';
import { CitizenReportsService } from '../citizen-reports/citizen-reports.service';
import { citizenReportDtoFrom } from '../citizen-reports/from-contract';
import { INCIDENTS_POLICIES as P } from '../incidents.policies';
import { ResolutionNames, StateNames } from '../incidents/enum-names';
import { DEFAULT_READ_PURPOSE, type IncidentReader } from '../incidents/face-match-reads';
import { toContractIncident, type IncidentRecord, type SourceRecord } from '../incidents/incident.model';
import { LIST_CURSOR, type ListCursor } from '../incidents/incidents.repository';
import { IncidentsService } from '../incidents/incidents.service';
import type { VisualCheck } from '../lifecycle/state-machine';

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

function contractIncidents(
  incidents: readonly IncidentRecord[],
  sources: ReadonlyMap<string, SourceRecord[]>,
): contract.Incident[] {
  return incidents.map((i) => toContractIncident(i, sources.get(i.id) ?? []));
}

/**
 * `Incidents` for other services: reads, lifecycle steps and citizen-report intake. Each method
 * serves the same operation, under the same policy, as its REST route.
 */
@Controller()
@IncidentsControllerMethods()
export class IncidentsGrpcController implements IncidentsController {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly reports: CitizenReportsService,
  ) {}

  @Operation(P.getIncident)
  async getIncident(
    request: contract.GetIncidentRequest,
    metadata?: Metadata,
  ): Promise<contract.GetIncidentResponse> {
    if (!isUuid(request.id)) throw invalidArgument('id', 'must be a UUID');
    const caller = grpcCallerOf(metadata);
    const [incident] = await this.load([request.id], readerOf(caller, request.purpose));
    if (!incident)
      throw new RpcException({ code: status.NOT_FOUND, message: `incident ${request.id} not found` });
    return { incident };
  }

  @Operation(P.getIncident)
  async batchGetIncidents(
    request: contract.BatchGetIncidentsRequest,
    metadata?: Metadata,
  ): Promise<contract.BatchGetIncidentsResponse> {
    const ids = [...new Set(request.ids ?? [])];
    if (ids.length > MAX_BATCH) throw invalidArgument('ids', `at most ${MAX_BATCH} ids per call`);
    const bad = ids.find((id) => !isUuid(id));
    if (bad !== undefined) throw invalidArgument('ids', `${JSON.stringify(bad)} is not a UUID`);
    const caller = grpcCallerOf(metadata);
    const found = await this.load(ids, readerOf(caller, request.purpose));
    const foundIds = new Set(found.map((i) => i.id));
    return { incidents: found, missingIds: ids.filter((id) => !foundIds.has(id)) };
  }

  @Operation(P.listIncidents)
  async listIncidents(
    request: contract.ListIncidentsRequest,
    metadata?: Metadata,
  ): Promise<contract.ListIncidentsResponse> {
    const caller = grpcCallerOf(metadata);
    const scope = RegionScope.of(caller);
    if (!isWellFormedRegionCode(request.regionCode)) throw invalidArgument('region_code', 'is required');
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
    const page = await this.incidents
      .list(
        {
          filter: {
            regionCode: request.regionCode,
            states: request.states,
            categories: request.categories,
            minPriority: request.minPriority || undefined,
            operationsCenterId: request.operationsCenterId || undefined,
            createdFrom: request.created?.startTime ?? undefined,
            createdTo: request.created?.endTime ?? undefined,
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
          limit: pageSize,
          after,
        },
        readerOf(caller, request.purpose),
      )
      .catch(rethrowAsRpc);
    return {
      incidents: contractIncidents(page.incidents, page.sources),
      nextPageToken: page.next ? encodeCursor({ ...page.next }) : '',
    };
  }

  @Operation(P.transitionIncident)
  async transitionIncident(
    request: contract.TransitionIncidentRequest,
    metadata?: Metadata,
  ): Promise<contract.TransitionIncidentResponse> {
    const caller = grpcCallerOf(metadata);
    if (!isUuid(request.id)) throw invalidArgument('id', 'must be a UUID');
    const to = StateNames.toName(request.targetState);
    if (to === 'unspecified') throw invalidArgument('target_state', 'is required');
    try {
      await this.incidents.transition(
        request.id,
        {
          to,
          reason: request.reason || undefined,
          visualCheck: visualCheckOf(request.visualCheck),
          resolution: request.resolution ? ResolutionNames.toName(request.resolution) : undefined,
          expectedVersion: request.expectedVersion || undefined,
        },
        caller,
      );
    } catch (error) {
      throw rpcErrorOf(error);
    }
    // The answer discloses the incident as a read would.
    const [incident] = await this.load([request.id], readerOf(caller, undefined));
    return { incident };
  }

  @Operation(P.submitCitizenReport)
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

  /** Incidents by id, as the contract carries them; each read of a face match is audited. */
  private async load(ids: string[], reader: IncidentReader): Promise<contract.Incident[]> {
    const found = await this.incidents.getMany(ids, reader).catch(rethrowAsRpc);
    return contractIncidents(found.incidents, found.sources);
  }
}
