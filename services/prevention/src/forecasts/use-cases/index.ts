import { BacktestForecastUseCase } from './backtest-forecast/backtest-forecast.use-case';
import { ForecastPlacesUseCase } from './forecast-places/forecast-places.use-case';

export { BacktestForecastUseCase, ForecastPlacesUseCase };

/** Every operation on place-based forecasts. */
export const FORECAST_USE_CASES = [ForecastPlacesUseCase, BacktestForecastUseCase];
