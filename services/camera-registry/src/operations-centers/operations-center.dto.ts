import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsNumber, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';

export class CoverageDto {
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  minLon!: number;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  minLat!: number;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  maxLon!: number;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  maxLat!: number;
}

export class CreateOperationsCenterDto {
  @ApiProperty({ example: 'Almaly district operations center' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'ALA' })
  @IsString()
  @Length(2, 10)
  regionCode!: string;

  @ApiPropertyOptional({ example: 'ALA-ALMALY' })
  @IsOptional()
  @IsString()
  @Length(2, 40)
  districtCode?: string;

  @ApiPropertyOptional({ type: CoverageDto, description: 'defaults to the district’s or region’s envelope' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CoverageDto)
  coverage?: CoverageDto;
}

export class CoveringQueryDto {
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat!: number;

  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lon!: number;
}
