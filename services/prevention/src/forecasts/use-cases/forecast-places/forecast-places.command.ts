import type { Command } from '@safecity/security';
import type { ForecastQueryDto } from '../../forecast.dto';

export interface ForecastPlaces extends Command {
  /** The region, the unit (grid cells or districts), the window and the incident categories. */
  query: ForecastQueryDto;
}
