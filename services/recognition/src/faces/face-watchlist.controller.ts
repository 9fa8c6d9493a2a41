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
import {
  AddFaceTemplateUseCase,
  EnrolFaceSubjectUseCase,
  GetFaceEntryUseCase,
  ListFaceSubjectsUseCase,
  RemoveFaceEntryUseCase,
  UpdateFaceEntryUseCase,
} from './use-cases';

@ApiTags('face watchlists')
@ApiBearerAuth()
@Controller()
export class FaceWatchlistController {
  constructor(
    private readonly enrolFaceSubject: EnrolFaceSubjectUseCase,
    private readonly listFaceSubjects: ListFaceSubjectsUseCase,
    private readonly getFaceEntry: GetFaceEntryUseCase,
    private readonly updateFaceEntry: UpdateFaceEntryUseCase,
    private readonly addFaceTemplate: AddFaceTemplateUseCase,
    private readonly removeFaceEntry: RemoveFaceEntryUseCase,
  ) {}

  @Post('watchlists/:id/subjects')
  @Operation(P.keepFaceEntries)
  enrol(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: EnrolSubjectDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.enrolFaceSubject.execute({ actor, watchlistId: id, subject: dto });
  }

  @Get('watchlists/:id/subjects')
  @Operation(P.readFaceEntries)
  list(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: EntryListQueryDto,
    @CurrentPrincipal() actor: Principal,
    @Purpose('watchlist administration') purpose: string,
  ) {
    return this.listFaceSubjects.execute({ actor, watchlistId: id, query, purpose });
  }

  @Get('face-entries/:id')
  @Operation(P.readFaceEntries)
  get(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() actor: Principal,
    @Purpose('watchlist administration') purpose: string,
  ) {
    return this.getFaceEntry.execute({ actor, id, purpose });
  }

  @Patch('face-entries/:id')
  @Operation(P.keepFaceEntries)
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: FaceEntryFieldsDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.updateFaceEntry.execute({ actor, id, fields: dto });
  }

  @Post('face-entries/:id/templates')
  @Operation(P.keepFaceEntries)
  addTemplate(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: EnrolTemplateDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.addFaceTemplate.execute({ actor, entryId: id, template: dto });
  }

  @Delete('face-entries/:id')
  @HttpCode(204)
  @Operation(P.keepFaceEntries)
  async remove(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() actor: Principal,
    @Purpose('watchlist administration') purpose: string,
  ) {
    await this.removeFaceEntry.execute({ actor, id, purpose });
  }
}
