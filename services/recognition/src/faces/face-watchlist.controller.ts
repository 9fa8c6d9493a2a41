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
import { EntryListQueryDto } from '../plates/plate-entry.dto';
import { EnrolSubjectDto, EnrolTemplateDto, FaceEntryFieldsDto } from './face-entry.dto';
import { FaceWatchlistService } from './face-watchlist.service';

@ApiTags('face watchlists')
@ApiBearerAuth()
@Controller()
export class FaceWatchlistController {
  constructor(private readonly subjects: FaceWatchlistService) {}

  @Post('watchlists/:id/subjects')
  @Operation(P.keepFaceEntries)
  enrol(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: EnrolSubjectDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.subjects.enrol(id, dto, actor);
  }

  @Get('watchlists/:id/subjects')
  @Operation(P.readFaceEntries)
  list(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: EntryListQueryDto,
    @CurrentPrincipal() actor: Principal,
    @Purpose('watchlist administration') purpose: string,
  ) {
    return this.subjects.list(id, query, actor, purpose);
  }

  @Get('face-entries/:id')
  @Operation(P.readFaceEntries)
  get(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() actor: Principal,
    @Purpose('watchlist administration') purpose: string,
  ) {
    return this.subjects.get(id, actor, purpose);
  }

  @Patch('face-entries/:id')
  @Operation(P.keepFaceEntries)
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: FaceEntryFieldsDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.subjects.update(id, dto, actor);
  }

  @Post('face-entries/:id/templates')
  @Operation(P.keepFaceEntries)
  addTemplate(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: EnrolTemplateDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.subjects.addTemplate(id, dto, actor);
  }

  @Delete('face-entries/:id')
  @HttpCode(204)
  @Operation(P.keepFaceEntries)
  async remove(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() actor: Principal,
    @Purpose('watchlist administration') purpose: string,
  ) {
    await this.subjects.remove(id, actor, purpose);
  }
}
