import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUrl, Length } from 'class-validator';
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
