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
import { CurrentPrincipal, Purpose, RegionScope, Roles, type Principal } from '@safecity/security';
import { CreateWatchlistDto, ListQueryDto, UpdateWatchlistDto } from './watchlist.dto';
import { WatchlistsService } from './watchlists.service';

/** Who keeps watchlists: national and regional administrators and supervisors. */
export const WATCHLIST_KEEPERS = ['admin', 'region-admin', 'supervisor'] as const;

@ApiTags('watchlists')
@ApiBearerAuth()
@Controller('watchlists')
@Roles(...WATCHLIST_KEEPERS)
export class WatchlistsController {
  constructor(private readonly lists: WatchlistsService) {}

  @Post()
  create(@Body() dto: CreateWatchlistDto, @CurrentPrincipal() actor: Principal) {
    return this.lists.create(dto, actor);
  }

  @Get()
  list(@Query() query: ListQueryDto, @CurrentPrincipal() actor: Principal) {
    return this.lists.list(RegionScope.of(actor), query);
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() actor: Principal) {
    return this.lists.get(id, RegionScope.of(actor));
  }

  @Patch(':id')
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateWatchlistDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.lists.update(id, dto, actor);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() actor: Principal,
    @Purpose('watchlist administration') purpose: string,
  ) {
    await this.lists.delete(id, actor, purpose);
  }
}
