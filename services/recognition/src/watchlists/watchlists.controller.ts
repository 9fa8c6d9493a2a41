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
import { CurrentPrincipal, Operation, Purpose, RegionScope, type Principal } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../recognition.policies';
import { CreateWatchlistDto, ListQueryDto, UpdateWatchlistDto } from './watchlist.dto';
import { WatchlistsService } from './watchlists.service';

@ApiTags('watchlists')
@ApiBearerAuth()
@Controller('watchlists')
export class WatchlistsController {
  constructor(private readonly lists: WatchlistsService) {}

  @Post()
  @Operation(P.keepWatchlists)
  create(@Body() dto: CreateWatchlistDto, @CurrentPrincipal() actor: Principal) {
    return this.lists.create(dto, actor);
  }

  @Get()
  @Operation(P.readWatchlists)
  list(@Query() query: ListQueryDto, @CurrentPrincipal() actor: Principal) {
    return this.lists.list(RegionScope.of(actor), query);
  }

  @Get(':id')
  @Operation(P.readWatchlists)
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    return this.lists.get(id, RegionScope.of(actor));
  }

  @Patch(':id')
  @Operation(P.keepWatchlists)
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateWatchlistDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.lists.update(id, dto, actor);
  }

  @Delete(':id')
  @HttpCode(204)
  @Operation(P.keepWatchlists)
  async delete(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() actor: Principal,
    @Purpose('watchlist administration') purpose: string,
  ) {
    await this.lists.delete(id, actor, purpose);
  }
}
