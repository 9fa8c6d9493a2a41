import { CreateUnitUseCase } from './create-unit/create-unit.use-case';
import { ListUnitsUseCase } from './list-units/list-units.use-case';
import { UpdateUnitUseCase } from './update-unit/update-unit.use-case';

export { CreateUnitUseCase, ListUnitsUseCase, UpdateUnitUseCase };

/** Every operation on patrol and emergency units. */
export const UNIT_USE_CASES = [CreateUnitUseCase, UpdateUnitUseCase, ListUnitsUseCase];
