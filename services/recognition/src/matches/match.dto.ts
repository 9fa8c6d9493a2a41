import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsPurpose, IsWellFormedRegionCode } from '@safecity/security';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsDate,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
} from 'class-validator';
import { MATCH_STATUSES, type MatchKindName, type MatchStatusName, type Verdict } from './match-verification';

export class ListMatchesQueryDto {
  @IsOptional()
  @IsWellFormedRegionCode()
  regionCode?: string;

  @IsOptional()
  @IsIn(['plate', 'face'])
  kind?: MatchKindName;

  @ApiPropertyOptional({ description: 'Comma list', example: 'pending-verification,partially-confirmed' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value))
  @IsIn(MATCH_STATUSES, { each: true })
  status?: MatchStatusName[];

  @IsOptional()
  @IsUUID()
  cameraId?: string;

  @IsOptional()
  @Type(() => Date)
  @IsDate()
  observedFrom?: Date;

  @IsOptional()
  @Type(() => Date)
  @IsDate()
  observedTo?: Date;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @IsOptional()
  @IsString()
  @Length(1, 500)
  cursor?: string;
}

export class VerifyMatchDto {
  @ApiProperty({ enum: ['confirmed', 'rejected'] })
  @IsIn(['confirmed', 'rejected'])
  verdict!: Verdict;

  @ApiPropertyOptional({ description: 'Plates: the plate image was compared with the listed plate' })
  @IsOptional()
  @IsBoolean()
  plateChecked?: boolean;

  @ApiPropertyOptional({ description: 'Plates: the vehicle was compared with the hotlist entry' })
  @IsOptional()
  @IsBoolean()
  vehicleChecked?: boolean;

  @IsOptional()
  @IsString()
  @Length(0, 1000)
  comment?: string;

  @ApiPropertyOptional({ description: 'Why the match is looked at; recorded in the audit log' })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  @IsPurpose()
  purpose?: string;
}
