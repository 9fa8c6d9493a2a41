import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, type Principal } from '@safecity/security';
import { PREVENTION_POLICIES as P } from '../prevention.policies';
import { KpiQueryDto } from '../forecasts/forecast.dto';
import { kpisToCsv } from './kpi-calculator';
import { ReadKpisUseCase } from './use-cases';

/** Figures only: no case, subject or incident is named in a KPI. */
@ApiTags('prevention KPIs')
@ApiBearerAuth()
@Controller()
export class KpisController {
  constructor(private readonly readKpis: ReadKpisUseCase) {}

  @Get('kpis')
  @Operation(P.readKpis)
  async get(@Query() query: KpiQueryDto, @CurrentPrincipal() actor: Principal) {
    return { items: await this.readKpis.execute(commandOf(query, actor)) };
  }

  @Get('kpis.csv')
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename="prevention-kpis.csv"')
  @Operation(P.readKpis)
  async csv(@Query() query: KpiQueryDto, @CurrentPrincipal() actor: Principal) {
    return kpisToCsv(await this.readKpis.execute(commandOf(query, actor)));
  }
}

function commandOf(query: KpiQueryDto, actor: Principal) {
  return {
    actor,
    regionCode: query.regionCode,
    districtCode: query.districtCode,
    from: new Date(query.from),
    to: new Date(query.to),
  };
}
