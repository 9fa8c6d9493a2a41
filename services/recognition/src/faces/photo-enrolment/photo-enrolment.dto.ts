import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length, Matches } from 'class-validator';
import { EnrolSubjectDto } from '../face-entry.dto';

/** Base64 of a JPEG or PNG; the service's 1 MB JSON limit leaves room for a photo of about 700 kB. */
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export class EnrolmentPhotoDto {
  @ApiProperty({ description: 'The photo, base64 of a JPEG or PNG showing exactly one face' })
  @IsString()
  @Length(16, 1_000_000)
  @Matches(BASE64, { message: 'photo must be base64 of a JPEG or PNG' })
  photo!: string;

  @ApiPropertyOptional({
    default: true,
    description:
      'Keep the photo, sealed, with the entry (erased with it) so a change of face model can re-enrol ' +
      'from it; false: the photo is dropped once the template is computed',
  })
  @IsOptional()
  @IsBoolean()
  keepPhoto?: boolean;
}

/** A subject as `POST /watchlists/:id/subjects` takes it, with a photo instead of templates. */
export class EnrolSubjectFromPhotoDto extends OmitType(EnrolSubjectDto, ['templates'] as const) {
  @ApiProperty({ description: 'The photo, base64 of a JPEG or PNG showing exactly one face' })
  @IsString()
  @Length(16, 1_000_000)
  @Matches(BASE64, { message: 'photo must be base64 of a JPEG or PNG' })
  photo!: string;

  @ApiPropertyOptional({ default: true, description: 'See EnrolmentPhotoDto.keepPhoto' })
  @IsOptional()
  @IsBoolean()
  keepPhoto?: boolean;
}
