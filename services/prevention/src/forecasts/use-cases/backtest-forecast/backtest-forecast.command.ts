import type { Command } from '@safecity/security';
import type { BacktestQueryDto } from '../../forecast.dto';

export interface BacktestForecast extends Command {
  /** The region, the unit, how many finished weeks are scored and the share of places flagged. */
  query: BacktestQueryDto;
}
