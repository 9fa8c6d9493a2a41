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
import { CurrentPrincipal, Purpose, Roles, type Principal } from '@safecity/security';
import { WATCHLIST_KEEPERS } from '../watchlists/watchlists.controller';
import { CreatePlateEntryDto, EntryListQueryDto, PlateEntryFieldsDto } from './plate-entry.dto';
import { PlateHotlistService } from './plate-hotlist.service';

@ApiTags('plate hotlists')
@ApiBearerAuth()
@Controller()
@Roles(...WATCHLIST_KEEPERS)
export class PlateHotlistController {
  constructor(private readonly entries: PlateHotlistService) {}

  @Post('watchlists/:id/plates')
  add(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreatePlateEntryDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.entries.add(id, dto, actor);
  }

  @Get('watchlists/:id/plates')
  list(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: EntryListQueryDto,
    @CurrentPrincipal() actor: Principal,
    @Purpose('hotlist administration') purpose: string,
  ) {
    return this.entries.list(id, query, actor, purpose);
  }

  @Get('plate-entries/:id')
  get(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() actor: Principal,
    @Purpose('hotlist administration') purpose: string,
  ) {
    return this.entries.get(id, actor, purpose);
  }

  @Patch('plate-entries/:id')
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: PlateEntryFieldsDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.entries.update(id, dto, actor);
  }

  @Delete('plate-entries/:id')
  @HttpCode(204)
  async remove(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() actor: Principal,
    @Purpose('hotlist administration') purpose: string,
  ) {
    await this.entries.remove(id, actor, purpose);
  }
}
