import { AddPlateEntryUseCase } from './add-plate-entry/add-plate-entry.use-case';
import { GetPlateEntryUseCase } from './get-plate-entry/get-plate-entry.use-case';
import { ListPlateEntriesUseCase } from './list-plate-entries/list-plate-entries.use-case';
import { RemovePlateEntryUseCase } from './remove-plate-entry/remove-plate-entry.use-case';
import { UpdatePlateEntryUseCase } from './update-plate-entry/update-plate-entry.use-case';

export {
  AddPlateEntryUseCase,
  GetPlateEntryUseCase,
  ListPlateEntriesUseCase,
  RemovePlateEntryUseCase,
  UpdatePlateEntryUseCase,
};

/** Every operation on the entries of plate hotlists. */
export const PLATE_ENTRY_USE_CASES = [
  AddPlateEntryUseCase,
  ListPlateEntriesUseCase,
  GetPlateEntryUseCase,
  UpdatePlateEntryUseCase,
  RemovePlateEntryUseCase,
];
