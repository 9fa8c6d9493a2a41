import { GetMatchUseCase } from './get-match/get-match.use-case';
import { ListMatchesUseCase } from './list-matches/list-matches.use-case';
import { VerifyMatchUseCase } from './verify-match/verify-match.use-case';

export { GetMatchUseCase, ListMatchesUseCase, VerifyMatchUseCase };

/** Every operation on matches. */
export const MATCH_USE_CASES = [ListMatchesUseCase, GetMatchUseCase, VerifyMatchUseCase];
