import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { SubjectDto } from '../cases/case.dto';
import { AGENCIES, CATEGORIES, type Agency, type Category } from '../domain/vocabulary';
import { IsWellFormedRegionCode } from '@safecity/security';

/** The officer's decision to open a case from a suggestion, with what only a person can decide. */
export class AcceptSuggestionDto {
  /**
   * Whom the case is about is the officer's decision, never a default: repeated incidents at an
   * address are as often a household as a place. The address defaults to the suggestion's.
   */
  @ApiProperty({ type: SubjectDto, description: 'required: person, family, place or organization' })
  @IsDefined({ message: 'choose whom the case is about: a person, family, place or organization' })
  @ValidateNested()
  @Type(() => SubjectDto)
  subject!: SubjectDto;

  @IsIn(CATEGORIES)
  category!: Category;

  @IsString()
  @Length(3, 300)
  legalBasis!: string;

  @IsIn(AGENCIES)
  ownerAgency!: Agency;

  @IsString()
  @Length(1, 200)
  responsibleOfficer!: string;

  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(AGENCIES, { each: true })
  agencies?: Agency[];

  @IsOptional()
  @IsString()
  @Length(2, 40)
  districtCode?: string;

  @IsOptional()
  @IsInt()
  @Min(7)
  @Max(365)
  reviewIntervalDays?: number;
}

export class DismissSuggestionDto {
  @IsString()
  @Length(3, 2000)
  reason!: string;
}

export class ListSuggestionsQueryDto {
  @IsOptional()
  @IsWellFormedRegionCode()
  regionCode?: string;

  @IsOptional()
  @IsIn(['pending', 'accepted', 'dismissed'])
  status?: 'pending' | 'accepted' | 'dismissed';
}

export class TriggerSettingsDto {
  @IsInt()
  @Min(1)
  @Max(365)
  repeatWindowDays!: number;

  @IsInt()
  @Min(2)
  @Max(50)
  repeatThreshold!: number;
}
