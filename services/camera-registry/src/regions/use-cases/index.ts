import { ListDistrictsUseCase } from './list-districts/list-districts.use-case';
import { ListRegionsUseCase } from './list-regions/list-regions.use-case';

export { ListDistrictsUseCase, ListRegionsUseCase };

/** Every operation on the map of regions and districts. */
export const REGION_USE_CASES = [ListRegionsUseCase, ListDistrictsUseCase];
