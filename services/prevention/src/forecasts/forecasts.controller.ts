import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, type Principal } from '@safecity/security';
import { PREVENTION_POLICIES as P } from '../prevention.policies';
import { BacktestQueryDto, ForecastQueryDto } from './forecast.dto';
import { BacktestForecastUseCase, ForecastPlacesUseCase } from './use-cases';

/** Where and when incidents are expected; places and hours only, never people. */
@ApiTags('forecasts')
@ApiBearerAuth()
@Controller('forecasts')
export class ForecastsController {
  constructor(
    private readonly forecastPlaces: ForecastPlacesUseCase,
    private readonly backtestForecast: BacktestForecastUseCase,
  ) {}

  @Get()
  @Header('content-type', 'application/geo+json')
  @Operation(P.readForecasts)
  forecast(@Query() query: ForecastQueryDto, @CurrentPrincipal() actor: Principal) {
    return this.forecastPlaces.execute({ actor, query });
  }

  @Get('backtest')
  @Operation(P.readForecasts)
  backtest(@Query() query: BacktestQueryDto, @CurrentPrincipal() actor: Principal) {
    return this.backtestForecast.execute({ actor, query });
  }
}
