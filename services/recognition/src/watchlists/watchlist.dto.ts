import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { FACE_CATEGORIES, type FaceCategory, type WatchlistKind } from './watchlist';
import { IsWellFormedRegionCode } from '@safecity/security';

export class CreateWatchlistDto {
  @ApiProperty({ enum: ['plate', 'face'] })
  @IsIn(['plate', 'face'])
  kind!: WatchlistKind;

  @ApiProperty({ example: 'Stolen vehicles, Almaty' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'ALA', description: 'Region that keeps the list' })
  @IsWellFormedRegionCode()
  regionCode!: string;

  @ApiPropertyOptional({ enum: FACE_CATEGORIES, description: 'Face watchlists only' })
  @IsOptional()
  @IsIn(FACE_CATEGORIES)
  category?: FaceCategory;

  @ApiPropertyOptional({ description: 'Face watchlists only: lowest similarity (0..1] that matches' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.01)
  @Max(1)
  threshold?: number;

  @ApiProperty({ example: 'Order 12-345/2026 of the Almaty police department' })
  @IsString()
  @Length(3, 500)
  legalBasis!: string;

  @ApiProperty({ example: 'Almaty police, stolen vehicles unit' })
  @IsString()
  @Length(1, 200)
  owner!: string;
}

export class UpdateWatchlistDto {
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @IsOptional()
  @IsIn(FACE_CATEGORIES)
  category?: FaceCategory;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.01)
  @Max(1)
  threshold?: number;

  @IsOptional()
  @IsString()
  @Length(3, 500)
  legalBasis?: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  owner?: string;
}

export class ListQueryDto {
  @IsOptional()
  @IsIn(['plate', 'face'])
  kind?: WatchlistKind;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @IsOptional()
  @IsString()
  @Length(1, 500)
  cursor?: string;
}

export class WatchlistIdDto {
  @IsUUID()
  id!: string;
}
