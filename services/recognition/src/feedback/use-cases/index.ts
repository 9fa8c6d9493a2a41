import { CountFalsePositivesByCameraUseCase } from './count-false-positives-by-camera/count-false-positives-by-camera.use-case';
import { CountFalsePositivesByWatchlistUseCase } from './count-false-positives-by-watchlist/count-false-positives-by-watchlist.use-case';
import { RecordIncidentDismissalUseCase } from './record-incident-dismissal/record-incident-dismissal.use-case';

export {
  CountFalsePositivesByCameraUseCase,
  CountFalsePositivesByWatchlistUseCase,
  RecordIncidentDismissalUseCase,
};

/** Every operation on the false positives operators report back. */
export const FEEDBACK_USE_CASES = [
  RecordIncidentDismissalUseCase,
  CountFalsePositivesByCameraUseCase,
  CountFalsePositivesByWatchlistUseCase,
];
