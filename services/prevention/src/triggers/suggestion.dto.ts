import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { SubjectDto } from '../cases/case.dto';
import { AGENCIES, CATEGORIES, type Agency, type Category } from '../domain/vocabulary';

/** The officer's decision to open a case from a suggestion, with what only a person can decide. */
export class AcceptSuggestionDto {
  @ApiPropertyOptional({ type: SubjectDto, description: 'default: the place at the suggestion’s address' })
  @IsOptional()
  @ValidateNested()
  @Type(() => SubjectDto)
  subject?: SubjectDto;

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
  @Matches(/^[A-Z0-9]{2,10}$/)
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
