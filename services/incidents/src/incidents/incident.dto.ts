import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsDateString,
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CategoryNames, PriorityNames, ResolutionNames, SourceKindNames, StateNames } from './enum-names';
import { IsWellFormedRegionCode } from '@safecity/security';

export class GeoPointDto {
  @ApiProperty({ minimum: -90, maximum: 90, example: 43.238 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat!: number;

  @ApiProperty({ minimum: -180, maximum: 180, example: 76.945 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lon!: number;
}

/** An incident an operator opens from video or a call. */
export class OpenIncidentDto {
  @ApiProperty({ enum: CategoryNames.names })
  @IsIn(CategoryNames.names)
  category!: string;

  @ApiPropertyOptional({ enum: PriorityNames.names, description: 'default: from the category' })
  @IsOptional()
  @IsIn(PriorityNames.names)
  priority?: string;

  @ApiProperty({ example: 'ALA' })
  @IsWellFormedRegionCode()
  regionCode!: string;

  @IsString()
  @Length(1, 200)
  title!: string;

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  description?: string;

  @IsDefined()
  @ValidateNested()
  @Type(() => GeoPointDto)
  location!: GeoPointDto;

  @IsOptional()
  @IsString()
  @MaxLength(300)
  address?: string;

  @IsOptional()
  @IsUUID()
  cameraId?: string;

  @IsOptional()
  @IsDateString()
  occurredAt?: string;
}

export class VisualCheckDto {
  @IsString()
  @MaxLength(20)
  plate!: string;

  @IsString()
  @MaxLength(60)
  make!: string;

  @IsString()
  @MaxLength(40)
  colour!: string;
}

export class TransitionDto {
  @ApiProperty({ enum: StateNames.names })
  @IsIn(StateNames.names)
  to!: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;

  @ApiPropertyOptional({ enum: ResolutionNames.names })
  @IsOptional()
  @IsIn(ResolutionNames.names)
  resolution?: string;

  @ApiPropertyOptional({
    description:
      'plate hits: what the operator saw, required to verify. The plate must be the listed plate ' +
      '(compared with the characters OCR engines confuse folded together), else 422 on ' +
      '`visualCheck.plate`; a make or colour other than the camera read needs a `reason`',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => VisualCheckDto)
  visualCheck?: VisualCheckDto;

  @ApiPropertyOptional({ description: 'dispatch: the unit sent' })
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({ description: 'optimistic concurrency: refused with 409 when stale' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

const list = ({ value }: { value: unknown }) =>
  value === undefined ? undefined : String(value).split(',').filter(Boolean);

export class ListIncidentsQuery {
  @IsOptional()
  @Transform(list)
  @IsIn(StateNames.names, { each: true })
  state?: string[];

  @IsOptional()
  @Transform(list)
  @IsIn(CategoryNames.names, { each: true })
  category?: string[];

  @IsOptional()
  @Transform(list)
  @IsIn(SourceKindNames.names, { each: true })
  sourceKind?: string[];

  @IsOptional()
  @IsIn(PriorityNames.names)
  minPriority?: string;

  @IsOptional()
  @IsWellFormedRegionCode()
  regionCode?: string;

  @IsOptional()
  @IsUUID()
  operationsCenterId?: string;

  @IsOptional()
  @IsDateString()
  createdFrom?: string;

  @IsOptional()
  @IsDateString()
  createdTo?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}
