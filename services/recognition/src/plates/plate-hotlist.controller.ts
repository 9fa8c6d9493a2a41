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
import {
  AddPlateEntryUseCase,
  GetPlateEntryUseCase,
  ListPlateEntriesUseCase,
  RemovePlateEntryUseCase,
  UpdatePlateEntryUseCase,
} from './use-cases';

@ApiTags('plate hotlists')
@ApiBearerAuth()
@Controller()
export class PlateHotlistController {
  constructor(
    private readonly addPlateEntry: AddPlateEntryUseCase,
    private readonly listPlateEntries: ListPlateEntriesUseCase,
    private readonly getPlateEntry: GetPlateEntryUseCase,
    private readonly updatePlateEntry: UpdatePlateEntryUseCase,
    private readonly removePlateEntry: RemovePlateEntryUseCase,
  ) {}

  @Post('watchlists/:id/plates')
  @Operation(P.keepPlateEntries)
  add(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreatePlateEntryDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.addPlateEntry.execute({ actor, watchlistId: id, entry: dto });
  }

  @Get('watchlists/:id/plates')
  @Operation(P.readPlateEntries)
  list(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: EntryListQueryDto,
    @CurrentPrincipal() actor: Principal,
    @Purpose('hotlist administration') purpose: string,
  ) {
    return this.listPlateEntries.execute({ actor, watchlistId: id, query, purpose });
  }

  @Get('plate-entries/:id')
  @Operation(P.readPlateEntries)
  get(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() actor: Principal,
    @Purpose('hotlist administration') purpose: string,
  ) {
    return this.getPlateEntry.execute({ actor, id, purpose });
  }

  @Patch('plate-entries/:id')
  @Operation(P.keepPlateEntries)
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: PlateEntryFieldsDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.updatePlateEntry.execute({ actor, id, fields: dto });
  }

  @Delete('plate-entries/:id')
  @HttpCode(204)
  @Operation(P.keepPlateEntries)
  async remove(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() actor: Principal,
    @Purpose('hotlist administration') purpose: string,
  ) {
    await this.removePlateEntry.execute({ actor, id, purpose });
  }
}
