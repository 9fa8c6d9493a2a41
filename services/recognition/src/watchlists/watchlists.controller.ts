import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, Purpose, type Principal } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../recognition.policies';
import { CreateWatchlistDto, ListQueryDto, UpdateWatchlistDto } from './watchlist.dto';
import {
  CreateWatchlistUseCase,
  DeleteWatchlistUseCase,
  GetWatchlistUseCase,
  ListWatchlistsUseCase,
  UpdateWatchlistUseCase,
} from './use-cases';

@ApiTags('watchlists')
@ApiBearerAuth()
@Controller('watchlists')
export class WatchlistsController {
  constructor(
    private readonly createWatchlist: CreateWatchlistUseCase,
    private readonly listWatchlists: ListWatchlistsUseCase,
    private readonly getWatchlist: GetWatchlistUseCase,
    private readonly updateWatchlist: UpdateWatchlistUseCase,
    private readonly deleteWatchlist: DeleteWatchlistUseCase,
  ) {}

  @Post()
  @Operation(P.keepWatchlists)
  create(@Body() dto: CreateWatchlistDto, @CurrentPrincipal() actor: Principal) {
    return this.createWatchlist.execute({ actor, watchlist: dto });
  }

  @Get()
  @Operation(P.readWatchlists)
  list(@Query() query: ListQueryDto, @CurrentPrincipal() actor: Principal) {
    return this.listWatchlists.execute({ actor, query });
  }

  @Get(':id')
  @Operation(P.readWatchlists)
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    return this.getWatchlist.execute({ actor, id });
  }

  @Patch(':id')
  @Operation(P.keepWatchlists)
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateWatchlistDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.updateWatchlist.execute({ actor, id, fields: dto });
  }

  @Delete(':id')
  @HttpCode(204)
  @Operation(P.keepWatchlists)
  async delete(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() actor: Principal,
    @Purpose('watchlist administration') purpose: string,
  ) {
    await this.deleteWatchlist.execute({ actor, id, purpose });
  }
}
