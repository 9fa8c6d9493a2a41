import { Type } from 'class-transformer';
import {
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { GeoPointDto } from '../incidents/incident.dto';
import { UNIT_KINDS, UNIT_STATUSES } from './units.repository';
import { IsWellFormedRegionCode } from '@safecity/security';

export class CreateUnitDto {
  @IsString()
  @Length(1, 40)
  callSign!: string;

  @IsIn(UNIT_KINDS)
  kind!: string;

  @IsWellFormedRegionCode()
  regionCode!: string;

  @IsOptional()
  @IsUUID()
  operationsCenterId?: string;
}

/** A crew's own report: its status and where it is. */
export class UpdateUnitDto {
  @IsOptional()
  @IsIn(['available', 'off-duty'])
  status?: (typeof UNIT_STATUSES)[number];

  @IsOptional()
  @ValidateNested()
  @Type(() => GeoPointDto)
  position?: GeoPointDto;
}

export class ListUnitsQuery {
  @IsOptional()
  @IsIn(UNIT_STATUSES)
  status?: string;

  @IsOptional()
  @IsWellFormedRegionCode()
  regionCode?: string;

  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  @Min(-90)
  @Max(90)
  lat?: number;

  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  @Min(-180)
  @Max(180)
  lon?: number;
}
