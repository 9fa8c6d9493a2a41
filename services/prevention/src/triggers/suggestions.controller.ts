import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, type Principal } from '@safecity/security';
import { PREVENTION_POLICIES as P } from '../prevention.policies';
import {
  AcceptSuggestionDto,
  DismissSuggestionDto,
  ListSuggestionsQueryDto,
  TriggerSettingsDto,
} from './suggestion.dto';
import {
  AcceptSuggestionUseCase,
  DismissSuggestionUseCase,
  ListSuggestionsUseCase,
  ReadTriggerSettingsUseCase,
  SaveTriggerSettingsUseCase,
} from './use-cases';

/** Suggested cases wait for a prevention officer's decision. */
@ApiTags('case suggestions')
@ApiBearerAuth()
@Controller()
export class SuggestionsController {
  constructor(
    private readonly listSuggestions: ListSuggestionsUseCase,
    private readonly acceptSuggestion: AcceptSuggestionUseCase,
    private readonly dismissSuggestion: DismissSuggestionUseCase,
    private readonly readTriggerSettings: ReadTriggerSettingsUseCase,
    private readonly saveTriggerSettings: SaveTriggerSettingsUseCase,
  ) {}

  @Get('suggestions')
  @Operation(P.decideSuggestions)
  list(@Query() query: ListSuggestionsQueryDto, @CurrentPrincipal() actor: Principal) {
    return this.listSuggestions.execute({ actor, query });
  }

  @Post('suggestions/:id/accept')
  @Operation(P.decideSuggestions)
  accept(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AcceptSuggestionDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.acceptSuggestion.execute({ actor, id, decision: dto });
  }

  @Post('suggestions/:id/dismiss')
  @HttpCode(200)
  @Operation(P.decideSuggestions)
  dismiss(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: DismissSuggestionDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.dismissSuggestion.execute({ actor, id, decision: dto });
  }

  @Get('trigger-settings/:regionCode')
  @Operation(P.decideSuggestions)
  settings(@Param('regionCode') regionCode: string, @CurrentPrincipal() actor: Principal) {
    return this.readTriggerSettings.execute({ actor, regionCode });
  }

  @Put('trigger-settings/:regionCode')
  @Operation(P.decideSuggestions)
  save(
    @Param('regionCode') regionCode: string,
    @Body() dto: TriggerSettingsDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.saveTriggerSettings.execute({ actor, regionCode, settings: dto });
  }
}
