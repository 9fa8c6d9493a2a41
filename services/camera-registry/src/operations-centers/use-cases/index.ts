import { CreateOperationsCenterUseCase } from './create-operations-center/create-operations-center.use-case';
import { FindCoveringOperationsCentersUseCase } from './find-covering-operations-centers/find-covering-operations-centers.use-case';
import { GetOperationsCenterUseCase } from './get-operations-center/get-operations-center.use-case';
import { ListOperationsCentersUseCase } from './list-operations-centers/list-operations-centers.use-case';

export {
  CreateOperationsCenterUseCase,
  FindCoveringOperationsCentersUseCase,
  GetOperationsCenterUseCase,
  ListOperationsCentersUseCase,
};

/** Every operation on operations centers. */
export const OPERATIONS_CENTER_USE_CASES = [
  CreateOperationsCenterUseCase,
  GetOperationsCenterUseCase,
  ListOperationsCentersUseCase,
  FindCoveringOperationsCentersUseCase,
];
