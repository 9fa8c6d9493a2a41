import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
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
  ValidateNested,
} from 'class-validator';
import { GeoPointDto } from '../incidents/incident.dto';
import { CategoryNames, ChannelNames } from '../incidents/enum-names';

export const MAX_ATTACHMENTS = 10;
export const MAX_MEDIA_URI = 2048;

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

  @IsDefined()
  @ValidateNested()
  @Type(() => GeoPointDto)
  location!: GeoPointDto;

  @IsOptional()
  @IsString()
  @MaxLength(300)
  address?: string;

  @ApiProperty({ example: 'ALA' })
  @Matches(/^[A-Z0-9]{2,10}$/)
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
