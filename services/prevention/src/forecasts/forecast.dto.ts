import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsDateString, IsIn, IsInt, IsNumber, IsOptional, Matches, Max, Min } from 'class-validator';
import { IsWellFormedRegionCode } from '@safecity/security';

const toInts = ({ value }: { value: unknown }) =>
  value === undefined ? undefined : String(value).split(',').filter(Boolean).map(Number);

export class ForecastQueryDto {
  @IsWellFormedRegionCode({ message: 'regionCode must be a region code such as ALA' })
  regionCode!: string;

  @ApiPropertyOptional({ enum: ['grid', 'district'], default: 'grid' })
  @IsOptional()
  @IsIn(['grid', 'district'])
  unit?: 'grid' | 'district';

  @ApiPropertyOptional({ description: 'window start; default the start of the current hour' })
  @IsOptional()
  @IsDateString()
  from?: string;

  @ApiPropertyOptional({ default: 24, description: 'window length in hours, at most one week' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(168)
  hours?: number;

  @ApiPropertyOptional({ default: 0.01, description: 'grid cell size in degrees' })
  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  @Min(0.002)
  @Max(0.1)
  cellSizeDeg?: number;

  @ApiPropertyOptional({
    description: 'incident categories (numbers of safecity.incidents.v1.IncidentCategory), comma-separated',
  })
  @IsOptional()
  @Transform(toInts)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(14, { each: true })
  categories?: number[];
}

export class BacktestQueryDto {
  @IsWellFormedRegionCode({ message: 'regionCode must be a region code such as ALA' })
  regionCode!: string;

  @IsOptional()
  @IsIn(['grid', 'district'])
  unit?: 'grid' | 'district';

  @ApiPropertyOptional({ default: 8 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(52)
  weeks?: number;

  @ApiPropertyOptional({ default: 0.05 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  @Min(0.001)
  @Max(0.5)
  flagShare?: number;

  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  @Min(0.002)
  @Max(0.1)
  cellSizeDeg?: number;

  /** The backtest scores the weeks finished before this moment; default now. */
  @ApiPropertyOptional({ example: '2026-03-16T00:00:00Z', description: 'default: now' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'asOf must be an ISO 8601 date-time' })
  asOf?: string;
}

export class KpiQueryDto {
  @IsWellFormedRegionCode({ message: 'regionCode must be a region code such as ALA' })
  regionCode!: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9-]{2,40}$/)
  districtCode?: string;

  @ApiPropertyOptional({ example: '2026-03-01T00:00:00Z' })
  @IsDateString()
  from!: string;

  @ApiPropertyOptional({ example: '2026-04-01T00:00:00Z' })
  @IsDateString()
  to!: string;
}
