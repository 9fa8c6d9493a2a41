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
import { CreatePlateEntryDto, EntryListQueryDto, PlateEntryFieldsDto } from './plate-entry.dto';
import { PlateHotlistService } from './plate-hotlist.service';

@ApiTags('plate hotlists')
@ApiBearerAuth()
@Controller()
export class PlateHotlistController {
  constructor(private readonly entries: PlateHotlistService) {}

  @Post('watchlists/:id/plates')
  @Operation(P.keepPlateEntries)
  add(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreatePlateEntryDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.entries.add(id, dto, actor);
  }

  @Get('watchlists/:id/plates')
  @Operation(P.readPlateEntries)
  list(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: EntryListQueryDto,
    @CurrentPrincipal() actor: Principal,
    @Purpose('hotlist administration') purpose: string,
  ) {
    return this.entries.list(id, query, actor, purpose);
  }

  @Get('plate-entries/:id')
  @Operation(P.readPlateEntries)
  get(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() actor: Principal,
    @Purpose('hotlist administration') purpose: string,
  ) {
    return this.entries.get(id, actor, purpose);
  }

  @Patch('plate-entries/:id')
  @Operation(P.keepPlateEntries)
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: PlateEntryFieldsDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.entries.update(id, dto, actor);
  }

  @Delete('plate-entries/:id')
  @HttpCode(204)
  @Operation(P.keepPlateEntries)
  async remove(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() actor: Principal,
    @Purpose('hotlist administration') purpose: string,
  ) {
    await this.entries.remove(id, actor, purpose);
  }
}
