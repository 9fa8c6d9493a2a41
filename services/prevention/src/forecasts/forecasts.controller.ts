import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@safecity/security';
import { BacktestQueryDto, ForecastQueryDto } from './forecast.dto';
import { ForecastsService } from './forecasts.service';

/** Where and when incidents are expected; places and hours only, never people. */
@ApiTags('forecasts')
@ApiBearerAuth()
@Roles('admin', 'analyst', 'prevention-officer', 'supervisor')
@Controller('forecasts')
export class ForecastsController {
  constructor(private readonly forecasts: ForecastsService) {}

  @Get()
  @Header('content-type', 'application/geo+json')
  forecast(@Query() query: ForecastQueryDto, @CurrentPrincipal() actor: Principal) {
    return this.forecasts.forecast(query, actor);
  }

  @Get('backtest')
  backtest(@Query() query: BacktestQueryDto, @CurrentPrincipal() actor: Principal) {
    return this.forecasts.backtest(query, actor);
  }
}
