import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { NormalizedPointDto } from '../cameras/dto/camera.dto';

export const ANALYTICS_FEATURES = ['faces', 'objects', 'intrusion', 'loitering', 'falls'] as const;
export type AnalyticsFeatureName = (typeof ANALYTICS_FEATURES)[number];

// No user info in URLs: credentials go in `credentials`, where they are sealed and never shown.
const RTSP_URL = /^rtsps?:\/\/[^\s/@]+(\/[^\s]*)?$/i;
const HTTP_URL = /^https?:\/\/[^\s/@]+(\/[^\s]*)?$/i;

export class MediaCredentialsDto {
  @ApiProperty()
  @IsString()
  @Length(1, 200)
  username!: string;

  @ApiProperty({ description: 'Write-only: stored sealed, never returned' })
  @IsString()
  @Length(1, 200)
  password!: string;
}

export class OnvifProfileDto {
  @ApiProperty({ example: 'http://10.20.0.15/onvif/media_service' })
  @Matches(HTTP_URL, { message: 'onvif.mediaUrl must be an http(s) URL without user info' })
  @Length(1, 2000)
  mediaUrl!: string;

  @ApiProperty({ example: 'Profile_1' })
  @IsString()
  @Length(1, 200)
  profileToken!: string;
}

export class AnalyticsZoneDto {
  @ApiProperty({ example: 'entrance' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ type: [NormalizedPointDto] })
  @IsArray()
  @ArrayMinSize(3)
  @ArrayMaxSize(64)
  @ValidateNested({ each: true })
  @Type(() => NormalizedPointDto)
  polygon!: NormalizedPointDto[];

  @ApiPropertyOptional({ description: 'Seconds a person may stay before it is loitering; 0 or absent: none' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(86_400)
  loiterSeconds?: number;

  @ApiPropertyOptional({ description: 'Anyone standing in the zone is an intruder' })
  @IsOptional()
  @IsBoolean()
  intrusion?: boolean;

  @ApiPropertyOptional({ description: 'This many at once are a crowd; 0 or absent: not counted' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000)
  crowdThreshold?: number;

  @ApiPropertyOptional({ description: 'Count vehicles with the people' })
  @IsOptional()
  @IsBoolean()
  countVehicles?: boolean;
}

/**
 * How the platform's own analytics read a camera with no analytics of its own. At least one of
 * `rtspUrl`, `onvif` and `snapshotUrl`; a stream is preferred to snapshots when both are given.
 */
export class CameraMediaSourceDto {
  @ApiPropertyOptional({ example: 'rtsp://10.20.0.15:554/Streaming/Channels/101' })
  @IsOptional()
  @Matches(RTSP_URL, { message: 'rtspUrl must be an rtsp:// URL without user info (see credentials)' })
  @Length(1, 2000)
  rtspUrl?: string;

  @ApiPropertyOptional({ type: OnvifProfileDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => OnvifProfileDto)
  onvif?: OnvifProfileDto;

  @ApiPropertyOptional({ example: 'http://10.20.0.15/ISAPI/Streaming/channels/101/picture' })
  @IsOptional()
  @Matches(HTTP_URL, { message: 'snapshotUrl must be an http(s) URL without user info (see credentials)' })
  @Length(1, 2000)
  snapshotUrl?: string;

  @ApiPropertyOptional({
    type: MediaCredentialsDto,
    nullable: true,
    description: 'Absent: the stored credentials stay; null: removed. Never returned.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => MediaCredentialsDto)
  credentials?: MediaCredentialsDto | null;

  @ApiPropertyOptional({ default: 1, description: 'Frames analysed per second, 0.1 to 10' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.1)
  @Max(10)
  frameRate?: number;

  @ApiProperty({ enum: ANALYTICS_FEATURES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ANALYTICS_FEATURES.length)
  @IsIn(ANALYTICS_FEATURES, { each: true })
  features!: AnalyticsFeatureName[];

  @ApiPropertyOptional({ type: [AnalyticsZoneDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @ValidateNested({ each: true })
  @Type(() => AnalyticsZoneDto)
  zones?: AnalyticsZoneDto[];
}
