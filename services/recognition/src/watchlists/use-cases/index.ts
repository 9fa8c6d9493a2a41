import { CreateWatchlistUseCase } from './create-watchlist/create-watchlist.use-case';
import { DeleteWatchlistUseCase } from './delete-watchlist/delete-watchlist.use-case';
import { GetWatchlistUseCase } from './get-watchlist/get-watchlist.use-case';
import { ListWatchlistsUseCase } from './list-watchlists/list-watchlists.use-case';
import { UpdateWatchlistUseCase } from './update-watchlist/update-watchlist.use-case';

export {
  CreateWatchlistUseCase,
  DeleteWatchlistUseCase,
  GetWatchlistUseCase,
  ListWatchlistsUseCase,
  UpdateWatchlistUseCase,
};

/** Every operation on watchlists as containers. */
export const WATCHLIST_USE_CASES = [
  CreateWatchlistUseCase,
  ListWatchlistsUseCase,
  GetWatchlistUseCase,
  UpdateWatchlistUseCase,
  DeleteWatchlistUseCase,
];
