import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Required } from '@safecity/service-kit';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { HotlistReasonNames, type HotlistReason } from './plate-hotlist-index';
import { IsWellFormedRegionCode } from '@safecity/security';

export const HOTLIST_REASONS: readonly HotlistReason[] = HotlistReasonNames.names;

/** Spellings of reasons accepted on input for compatibility, and the names they stand for. */
const EARLIER_REASON_NAMES = new Map<string, HotlistReason>([['wanted-person-vehicle', 'wanted-person']]);
const REASON_DESCRIPTION =
  'why the plate is listed, as the contract names it (HotlistReason); `wanted-person-vehicle`, the ' +
  'earlier spelling of `wanted-person`, is still accepted and answered as `wanted-person`';
const reasonByCurrentName = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? (EARLIER_REASON_NAMES.get(value) ?? value) : value;

export class PlateEntryFieldsDto {
  @ApiPropertyOptional({ example: 'KZ', description: 'ISO 3166-1 alpha-2 of the issuing country' })
  @IsOptional()
  @Matches(/^([A-Z]{2})?$/)
  country?: string;

  @ApiPropertyOptional({ enum: HOTLIST_REASONS, description: REASON_DESCRIPTION })
  @IsOptional()
  @Transform(reasonByCurrentName)
  @IsIn(HOTLIST_REASONS)
  reason?: HotlistReason;

  @ApiPropertyOptional({ minimum: 1, maximum: 4, description: '1 low … 4 critical' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(4)
  priority?: number;

  @ApiPropertyOptional({ example: 'Criminal case 2026-0012345' })
  @IsOptional()
  @IsString()
  @Length(3, 500)
  legalBasis?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  owner?: string;

  @ApiPropertyOptional({ description: 'The entry stops matching at this instant' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  expiresAt?: Date;

  @ApiPropertyOptional({
    example: ['ALA'],
    description: "Regions whose cameras it matches; default the list's region",
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsWellFormedRegionCode({ each: true })
  regions?: string[];

  @ApiPropertyOptional({ description: 'Matches on every camera of the country (national staff only)' })
  @IsOptional()
  @IsBoolean()
  national?: boolean;
}

export class CreatePlateEntryDto extends PlateEntryFieldsDto {
  @ApiProperty({ example: '123ABC02' })
  @IsString()
  @Length(2, 20)
  plate!: string;

  @ApiProperty({ enum: HOTLIST_REASONS, description: REASON_DESCRIPTION })
  @Transform(reasonByCurrentName)
  @IsIn(HOTLIST_REASONS)
  @Required()
  declare reason: HotlistReason;

  @ApiProperty({ minimum: 1, maximum: 4 })
  @IsInt()
  @Min(1)
  @Max(4)
  @Required()
  declare priority: number;

  @ApiProperty()
  @IsString()
  @Length(3, 500)
  @Required()
  declare legalBasis: string;

  @ApiProperty()
  @IsString()
  @Length(1, 200)
  @Required()
  declare owner: string;

  @ApiProperty()
  @Type(() => Date)
  @IsDate()
  @Required()
  declare expiresAt: Date;
}

export class EntryListQueryDto {
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
