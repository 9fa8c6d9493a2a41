import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, type Principal } from '@safecity/security';
import { NoRequestBody } from '@safecity/service-kit';
import { RECOGNITION_POLICIES as P } from '../../recognition.policies';
import { EnrolmentPhotoDto, EnrolSubjectFromPhotoDto } from './photo-enrolment.dto';
import {
  AddEnrolmentPhotoUseCase,
  EnrolSubjectFromPhotoUseCase,
  ReenrolFaceEntriesUseCase,
} from '../use-cases';

@ApiTags('face watchlists')
@ApiBearerAuth()
@Controller()
export class PhotoEnrolmentController {
  constructor(
    private readonly enrolSubjectFromPhoto: EnrolSubjectFromPhotoUseCase,
    private readonly addEnrolmentPhoto: AddEnrolmentPhotoUseCase,
    private readonly reenrolFaceEntries: ReenrolFaceEntriesUseCase,
  ) {}

  @Post('watchlists/:id/subjects/photo')
  @Operation(P.enrolFromPhoto)
  @ApiOperation({
    summary: 'Enrol a subject from a photo',
    description:
      'The photo must show exactly one face of enrolment quality; otherwise 422 says how many faces ' +
      'were found or why the face is unusable. The template is computed with the current model.',
  })
  enrol(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: EnrolSubjectFromPhotoDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.enrolSubjectFromPhoto.execute({ actor, watchlistId: id, subject: dto });
  }

  @Post('face-entries/:id/photos')
  @Operation(P.enrolFromPhoto)
  @ApiOperation({
    summary: "Add a template to a subject from a new photo (clears a 'needs a new photo' flag)",
  })
  addPhoto(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: EnrolmentPhotoDto,
    @CurrentPrincipal() actor: Principal,
  ) {
    return this.addEnrolmentPhoto.execute({ actor, entryId: id, photo: dto });
  }

  @Post('face-entries/reenrolment')
  @Operation(P.reenrolFaceEntries)
  @NoRequestBody()
  @HttpCode(200)
  @ApiOperation({
    summary: 'After a change of face model: re-enrol every subject from its kept photo',
    description: 'Subjects without a kept photo are flagged as needing a new photo and listed.',
  })
  reenrol(@CurrentPrincipal() actor: Principal) {
    return this.reenrolFaceEntries.execute({ actor });
  }
}
