import { Controller } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import {
  incidents as contract,
  IncidentsControllerMethods,
  type IncidentsController,
  isUuid,
} from '@safecity/contracts';
import { Operation, grpcCallerOf, purposeOfRequest, isWellFormedRegionCode } from '@safecity/security';
import { MAX_PAGE_SIZE, decodeCursor, encodeCursor, invalidArgument } from '@safecity/service-kit';
import { citizenReportDtoFrom } from '../citizen-reports/from-contract';
import { SubmitCitizenReportUseCase } from '../citizen-reports/use-cases';
import { INCIDENTS_POLICIES as P } from '../incidents.policies';
import { ResolutionNames, StateNames } from '../incidents/enum-names';
import { DEFAULT_READ_PURPOSE } from '../incidents/face-match-reads';
import { toContractIncident, type IncidentRecord, type SourceRecord } from '../incidents/incident.model';
import { LIST_CURSOR, type ListCursor } from '../incidents/incidents.repository';
import {
  BatchGetIncidentsUseCase,
  GetIncidentUseCase,
  ListIncidentsUseCase,
  TransitionIncidentUseCase,
} from '../incidents/use-cases';
import type { VisualCheck } from '../lifecycle/state-machine';

const MAX_BATCH = 500;

const purposeOf = (purpose: string | undefined) => purposeOfRequest(purpose) ?? DEFAULT_READ_PURPOSE;

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
 * runs the use case of its REST route, under the same policy; the gRPC filter answers their
 * domain errors.
 */
@Controller()
@IncidentsControllerMethods()
export class IncidentsGrpcController implements IncidentsController {
  constructor(
    private readonly getIncidentUseCase: GetIncidentUseCase,
    private readonly batchGetIncidentsUseCase: BatchGetIncidentsUseCase,
    private readonly listIncidentsUseCase: ListIncidentsUseCase,
    private readonly transitionIncidentUseCase: TransitionIncidentUseCase,
    private readonly submitCitizenReportUseCase: SubmitCitizenReportUseCase,
  ) {}

  @Operation(P.getIncident)
  async getIncident(
    request: contract.GetIncidentRequest,
    metadata?: Metadata,
  ): Promise<contract.GetIncidentResponse> {
    if (!isUuid(request.id)) throw invalidArgument('id', 'must be a UUID');
    const { incident, sources } = await this.getIncidentUseCase.execute({
      actor: grpcCallerOf(metadata),
      id: request.id,
      purpose: purposeOf(request.purpose),
    });
    return { incident: toContractIncident(incident, sources) };
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
    const found = await this.batchGetIncidentsUseCase.execute({
      actor: grpcCallerOf(metadata),
      ids,
      purpose: purposeOf(request.purpose),
    });
    const foundIds = new Set(found.incidents.map((i) => i.id));
    return {
      incidents: contractIncidents(found.incidents, found.sources),
      missingIds: ids.filter((id) => !foundIds.has(id)),
    };
  }

  @Operation(P.listIncidents)
  async listIncidents(
    request: contract.ListIncidentsRequest,
    metadata?: Metadata,
  ): Promise<contract.ListIncidentsResponse> {
    const caller = grpcCallerOf(metadata);
    if (!isWellFormedRegionCode(request.regionCode)) throw invalidArgument('region_code', 'is required');
    const pageSize = request.pageSize > 0 ? Math.min(request.pageSize, MAX_PAGE_SIZE) : 50;
    let after: ListCursor | undefined;
    try {
      after = decodeCursor(request.pageToken || undefined, LIST_CURSOR);
    } catch {
      throw invalidArgument('page_token', 'is not one this service issued');
    }
    const area = request.area;
    const page = await this.listIncidentsUseCase.execute({
      actor: caller,
      purpose: purposeOf(request.purpose),
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
      regionMustBeHeld: true,
      limit: pageSize,
      after,
    });
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
    await this.transitionIncidentUseCase.execute({
      actor: caller,
      id: request.id,
      step: {
        to,
        reason: request.reason || undefined,
        visualCheck: visualCheckOf(request.visualCheck),
        resolution: request.resolution ? ResolutionNames.toName(request.resolution) : undefined,
        expectedVersion: request.expectedVersion || undefined,
      },
    });
    // The contract answers with the whole incident, its evidence included: that is a read, and
    // disclosed (and audited) as one.
    const read = await this.batchGetIncidentsUseCase.execute({
      actor: caller,
      ids: [request.id],
      purpose: DEFAULT_READ_PURPOSE,
    });
    const [incident] = contractIncidents(read.incidents, read.sources);
    return { incident };
  }
  @Operation(P.submitCitizenReport)
  async submitCitizenReport(
    request: contract.SubmitCitizenReportRequest,
    metadata?: Metadata,
  ): Promise<contract.SubmitCitizenReportResponse> {
    const report = request.report;
    if (!report) throw invalidArgument('report', 'is required');
    const submitted = await this.submitCitizenReportUseCase.execute({
      actor: grpcCallerOf(metadata),
      report: await citizenReportDtoFrom(report),
    });
    return {
      report: {
        ...report,
        id: submitted.reportId,
        receivedAt: new Date(submitted.acknowledgement.receivedAt),
      },
      incidentId: submitted.incidentId ?? '',
    };
  }
}
