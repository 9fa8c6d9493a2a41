import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, Purpose, type Principal } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../recognition.policies';
import { decodeCursor, encodeCursor } from '@safecity/service-kit';
import { matchView } from './match-messages';
import { ListMatchesQueryDto, VerifyMatchDto } from './match.dto';
import { MATCH_CURSOR } from './match-views';
import { GetMatchUseCase, ListMatchesUseCase, VerifyMatchUseCase } from './use-cases';

@ApiTags('matches')
@ApiBearerAuth()
@Controller('matches')
export class MatchesController {
  constructor(
    private readonly listMatches: ListMatchesUseCase,
    private readonly getMatch: GetMatchUseCase,
    private readonly verifyMatch: VerifyMatchUseCase,
  ) {}

  @Get()
  @Operation(P.listMatches)
  async list(
    @Query() query: ListMatchesQueryDto,
    @CurrentPrincipal() actor: Principal,
    @Purpose('match review') purpose: string,
  ) {
    const page = await this.listMatches.execute({
      actor,
      purpose,
      filter: {
        regionCode: query.regionCode,
        kind: query.kind,
        statuses: query.status,
        cameraId: query.cameraId,
        observedFrom: query.observedFrom,
        observedTo: query.observedTo,
        after: decodeCursor(query.cursor, MATCH_CURSOR),
        limit: query.limit ?? 50,
      },
    });
    return { items: page.items.map(matchView), nextCursor: page.next ? encodeCursor(page.next) : null };
  }

  @Get(':id')
  @Operation(P.getMatch)
  async get(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() actor: Principal,
    @Purpose('match review') purpose: string,
  ) {
    return matchView(await this.getMatch.execute({ actor, id, purpose }));
  }

  /** One person's check; the person is the caller, never a field of the request. */
  @Post(':id/verifications')
  @HttpCode(200)
  @Operation(P.verifyMatch)
  verify(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: VerifyMatchDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.verifyMatch.execute({ actor, matchId: id, ...dto });
  }
}
