import { randomUUID } from 'node:crypto';
import { Controller } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import {
  prevention,
  PreventionControllerMethods,
  type PreventionController,
  isUuid,
} from '@safecity/contracts';
import { grpcCallerOf, Operation, purposeOfRequest, isWellFormedRegionCode } from '@safecity/security';
import { invalidArgument } from '@safecity/service-kit';
import { toCaseMessage } from '../cases/case-events';
import { ListCasesByIncidentUseCase, ListCasesUseCase, GetCaseUseCase } from '../cases/use-cases';
import {
  CATEGORY_MESSAGE,
  RISK_LEVELS,
  RISK_MESSAGE,
  STATUS_MESSAGE,
  SUBJECT_KIND_MESSAGE,
  type SubjectKind,
} from '../domain/vocabulary';
import { boundsOf } from '../forecasts/grid';
import { ForecastPlacesUseCase } from '../forecasts/use-cases';
import { ReadKpisUseCase } from '../kpis/use-cases';
import { PREVENTION_POLICIES as P } from '../prevention.policies';

const keysOf = <K extends string>(map: Record<K, number>, values: number[]): K[] =>
  (Object.keys(map) as K[]).filter((k) => values.includes(map[k]));

function purposeOf(purpose: string | undefined): string {
  const text = purposeOfRequest(purpose) ?? '';
  if (text.length < 5) throw invalidArgument('purpose', 'why the cases are read, 5 to 300 characters');
  return text;
}

const RISK: Record<string, prevention.RiskLevel> = {
  low: prevention.RiskLevel.RISK_LEVEL_LOW,
  medium: prevention.RiskLevel.RISK_LEVEL_MEDIUM,
  high: prevention.RiskLevel.RISK_LEVEL_HIGH,
};

/**
 * Prevention over gRPC: cases for other services and case-aware tools (every read audited with
 * its purpose; messages carry people by reference only), KPIs and place-based forecasts.
 */
@Controller()
@PreventionControllerMethods()
export class PreventionGrpcController implements PreventionController {
  constructor(
    private readonly getCaseUseCase: GetCaseUseCase,
    private readonly listCasesUseCase: ListCasesUseCase,
    private readonly listCasesByIncidentUseCase: ListCasesByIncidentUseCase,
    private readonly readKpisUseCase: ReadKpisUseCase,
    private readonly forecastPlacesUseCase: ForecastPlacesUseCase,
  ) {}

  @Operation(P.getCase)
  async getCase(
    request: prevention.GetCaseRequest,
    metadata?: Metadata,
  ): Promise<prevention.GetCaseResponse> {
    if (!isUuid(request.id)) throw invalidArgument('id', 'must be a UUID');
    const purpose = purposeOf(request.purpose);
    const read = await this.getCaseUseCase.execute({
      actor: grpcCallerOf(metadata),
      id: request.id,
      purpose,
      disclosure: 'reference',
    });
    return { preventionCase: toCaseMessage(read.details, 'read') };
  }

  @Operation(P.listCases)
  async listCases(
    request: prevention.ListCasesRequest,
    metadata?: Metadata,
  ): Promise<prevention.ListCasesResponse> {
    if (!isWellFormedRegionCode(request.regionCode))
      throw invalidArgument('region_code', 'is required, e.g. ALA');
    const purpose = purposeOf(request.purpose);
    if (request.pageSize < 0 || request.pageSize > 100) throw invalidArgument('page_size', 'at most 100');
    const page = await this.listCasesUseCase.execute({
      actor: grpcCallerOf(metadata),
      filter: {
        regionCode: request.regionCode,
        districtCode: request.districtCode || undefined,
        statuses: keysOf(STATUS_MESSAGE, request.statuses ?? []),
        categories: keysOf(CATEGORY_MESSAGE, request.categories ?? []),
        riskLevels: request.minRiskLevel
          ? RISK_LEVELS.filter((level) => RISK_MESSAGE[level] >= request.minRiskLevel)
          : undefined,
        subjectKind: keysOf(SUBJECT_KIND_MESSAGE, [request.subjectKind])[0] as SubjectKind | undefined,
        responsibleOfficer: request.ownerId || undefined,
      },
      limit: request.pageSize || 50,
      cursor: request.pageToken || undefined,
      disclosedFor: purpose,
    });
    return {
      preventionCases: page.items.map((listed) => toCaseMessage(listed.details!, 'read')),
      nextPageToken: page.nextCursor ?? '',
    };
  }

  @Operation(P.listCasesByIncident)
  async listCasesByIncident(
    request: prevention.ListCasesByIncidentRequest,
    metadata?: Metadata,
  ): Promise<prevention.ListCasesByIncidentResponse> {
    if (!request.incidentId || request.incidentId.length > 100)
      throw invalidArgument('incident_id', 'is required');
    const purpose = purposeOf(request.purpose);
    const disclosed = await this.listCasesByIncidentUseCase.execute({
      actor: grpcCallerOf(metadata),
      incidentId: request.incidentId,
      purpose,
    });
    return { preventionCases: disclosed.map((details) => toCaseMessage(details, 'read')) };
  }

  @Operation(P.readKpis)
  async getKpis(
    request: prevention.GetKpisRequest,
    metadata?: Metadata,
  ): Promise<prevention.GetKpisResponse> {
    if (!isWellFormedRegionCode(request.regionCode))
      throw invalidArgument('region_code', 'is required, e.g. ALA');
    const from = request.period?.startTime;
    const to = request.period?.endTime;
    if (!from || !to) throw invalidArgument('period', 'start_time and end_time are required');
    const rows = await this.readKpisUseCase.execute({
      actor: grpcCallerOf(metadata),
      regionCode: request.regionCode,
      districtCode: request.districtCode || undefined,
      from,
      to,
    });
    return {
      kpis: rows.map((k) => ({
        regionCode: k.regionCode,
        districtCode: k.districtCode ?? '',
        period: { startTime: from, endTime: to },
        casesOpened: k.casesOpened,
        casesClosed: k.casesClosed,
        casesInProgress: k.casesInProgressAtEnd,
        measuresDone: k.measuresDoneOnTime + k.measuresDoneLate,
        measuresOverdue: k.measuresNotDone,
        recurrenceRate: k.recurrenceRate ?? 0,
        medianDaysToFirstMeasure: k.medianDaysToFirstMeasure ?? 0,
      })),
    };
  }

  @Operation(P.readForecasts)
  async getForecast(
    request: prevention.GetForecastRequest,
    metadata?: Metadata,
  ): Promise<prevention.GetForecastResponse> {
    if (!isWellFormedRegionCode(request.regionCode))
      throw invalidArgument('region_code', 'is required, e.g. ALA');
    const start = request.window?.startTime ?? new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    const end = request.window?.endTime ?? new Date(start.getTime() + 24 * 3_600_000);
    const hours = Math.round((end.getTime() - start.getTime()) / 3_600_000);
    if (!(hours >= 1 && hours <= 168)) throw invalidArgument('window', 'must span 1 to 168 hours');
    const categories = request.categories ?? [];
    if (categories.some((c) => !(c >= 1 && c <= 14)))
      throw invalidArgument('categories', 'unknown incident category');
    const area = request.area;
    if (
      area &&
      (!area.southWest ||
        !area.northEast ||
        area.southWest.lat >= area.northEast.lat ||
        area.southWest.lon >= area.northEast.lon)
    ) {
      throw invalidArgument('area', 'south_west must lie south-west of north_east');
    }
    const collection = await this.forecastPlacesUseCase.execute({
      actor: grpcCallerOf(metadata),
      query: { regionCode: request.regionCode, unit: 'grid', from: start.toISOString(), hours, categories },
    });
    const windowEnd = new Date(start.getTime() + hours * 3_600_000);
    const cells = collection.features
      .map((f) => ({ f, b: boundsOf(f.properties.placeId) }))
      .filter(
        ({ b }) =>
          !area ||
          (b.north > area.southWest!.lat &&
            b.south < area.northEast!.lat &&
            b.east > area.southWest!.lon &&
            b.west < area.northEast!.lon),
      )
      .map(({ f, b }) => ({
        cellId: f.properties.placeId,
        bounds: { southWest: { lat: b.south, lon: b.west }, northEast: { lat: b.north, lon: b.east } },
        centroid: { lat: (b.south + b.north) / 2, lon: (b.west + b.east) / 2 },
        category: categories.length === 1 ? categories[0] : 0,
        windowStart: start,
        windowEnd,
        expectedIncidents: f.properties.expectedIncidents,
        expectedIncidentsP90: f.properties.expectedIncidentsP90,
        riskLevel: RISK[f.properties.riskLevel],
      }));
    return {
      forecast: {
        id: randomUUID(),
        regionCode: request.regionCode,
        modelVersion: collection.forecast.modelVersion,
        generatedAt: new Date(collection.forecast.generatedAt),
        cells,
      },
    };
  }
}
