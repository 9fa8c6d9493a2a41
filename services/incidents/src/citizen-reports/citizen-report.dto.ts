import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsDateString,
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { GeoPointDto } from '../incidents/incident.dto';
import { CategoryNames, ChannelNames } from '../incidents/enum-names';
import { IsWellFormedRegionCode } from '@safecity/security';

export const MAX_ATTACHMENTS = 10;
export const MAX_MEDIA_URI = 2048;
export const MAX_ADDRESS_LENGTH = 300;

export class MediaReferenceDto {
  @ApiProperty({ example: 'https://media.zan.kz/r/8f3a.jpg' })
  @IsString()
  @Length(1, MAX_MEDIA_URI, { message: `uri must be at most ${MAX_MEDIA_URI} characters` })
  @Matches(/^https:\/\//, { message: 'uri must be an https URL' })
  uri!: string;

  @ApiProperty({ example: 'image/jpeg' })
  @Matches(/^(image|video|audio)\/[a-z0-9.+-]{1,60}$/, {
    message: 'contentType must be an image, video or audio type',
  })
  contentType!: string;
}

/** A report as the "Заң мен Тәртіп" platform (or another citizen channel) posts it. */
export class CitizenReportDto {
  @ApiProperty({ enum: ChannelNames.names })
  @IsIn(ChannelNames.names)
  channel!: string;

  @ApiProperty({ description: "the channel's own id; re-posting it returns the same acknowledgement" })
  @IsString()
  @Length(1, 100)
  channelReportId!: string;

  @ApiProperty({ enum: CategoryNames.names })
  @IsIn(CategoryNames.names)
  category!: string;

  @ApiProperty({ description: 'what the citizen wrote' })
  @IsString()
  @Length(1, 4000)
  text!: string;

  @ApiPropertyOptional({
    type: GeoPointDto,
    description: 'where it happened, WGS 84; a report needs a location, an address or both',
  })
  // Required only when the report gives no address.
  @ValidateIf((report: CitizenReportDto) => report.address === undefined || report.location !== undefined)
  @IsDefined({ message: 'a report needs a location, an address or both' })
  @ValidateNested()
  @Type(() => GeoPointDto)
  location?: GeoPointDto;

  @ApiPropertyOptional({
    description:
      'where it happened in words, as the citizen wrote it (street, house, flat, landmark); ' +
      `free text of 1–${MAX_ADDRESS_LENGTH} characters without control characters, with or without a location`,
    example: 'ул. Абая, д. 10, кв. 5',
    maxLength: MAX_ADDRESS_LENGTH,
  })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, MAX_ADDRESS_LENGTH, { message: `address must be 1 to ${MAX_ADDRESS_LENGTH} characters` })
  @Matches(/^[^\p{C}\p{Zl}\p{Zp}]*$/u, {
    message: 'address must not contain control, formatting or line-break characters',
  })
  @Matches(/[\p{L}\p{N}]/u, { message: 'address must name a place in letters or digits' })
  address?: string;

  @ApiProperty({ example: 'ALA' })
  @IsWellFormedRegionCode()
  regionCode!: string;

  @ApiProperty({ description: 'when it happened or was reported, ISO 8601' })
  @IsDateString()
  time!: string;

  @ApiPropertyOptional({ type: [MediaReferenceDto] })
  @IsOptional()
  @ArrayMaxSize(MAX_ATTACHMENTS)
  @ValidateNested({ each: true })
  @Type(() => MediaReferenceDto)
  media?: MediaReferenceDto[];

  @ApiPropertyOptional({ description: "the channel's pseudonymous citizen id; absent when anonymous" })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  citizenId?: string;

  @IsOptional()
  @IsBoolean()
  consentToContact?: boolean;

  @ApiPropertyOptional({ description: 'phone or e-mail; kept only with consent to contact' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  contact?: string;
}
