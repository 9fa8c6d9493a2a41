import { ReadKpisUseCase } from './read-kpis/read-kpis.use-case';

export { ReadKpisUseCase };

/** Every operation on prevention KPIs. */
export const KPI_USE_CASES = [ReadKpisUseCase];
