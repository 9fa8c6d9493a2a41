import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Length, Max, Min } from 'class-validator';
import {
  INGESTION_METHODS,
  VIDEO_SYSTEM_VENDORS,
  type IngestionMethodName,
  type VideoSystemVendorName,
} from './video-system.entity';

export class CreateVideoSystemDto {
  @ApiProperty({ example: 'ALA' })
  @IsString()
  @Length(2, 10)
  regionCode!: string;

  @ApiProperty({ example: 'Almaty city VMS (Milestone XProtect)' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: VIDEO_SYSTEM_VENDORS })
  @IsIn(VIDEO_SYSTEM_VENDORS)
  vendor!: VideoSystemVendorName;

  @ApiPropertyOptional({ example: 'https://vms.almaty.example/api' })
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  @Length(1, 500)
  endpoint?: string;

  @ApiProperty({ enum: INGESTION_METHODS })
  @IsIn(INGESTION_METHODS)
  ingestionMethod!: IngestionMethodName;
}

export class IssueApiKeyDto {
  @ApiPropertyOptional({ example: 'Milestone event server, primary' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  label?: string;
}

export class RotateApiKeyDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: 168,
    description: 'hours the old key keeps working (default 24)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(168)
  overlapHours?: number;
}
