import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsDateString,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  AGENCIES,
  CASE_STATUSES,
  CATEGORIES,
  MEASURE_KINDS,
  MEASURE_STATUSES,
  OUTCOMES,
  RISK_LEVELS,
  SUBJECT_KINDS,
  type Agency,
  type CaseStatus,
  type Category,
  type MeasureKind,
  type MeasureStatus,
  type Outcome,
  type RiskLevel,
  type SubjectKind,
} from '../domain/vocabulary';
import { IsWellFormedRegionCode } from '@safecity/security';

export class LocationDto {
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat!: number;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lon!: number;
}

/** A new subject. People and families are personal data: audited on every read, erased after retention. */
export class SubjectDto {
  @ApiProperty({ enum: SUBJECT_KINDS })
  @IsIn(SUBJECT_KINDS)
  kind!: SubjectKind;

  @ApiProperty({ description: 'person or household name, place or organization name' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ description: 'IIN of a person, BIN of an organization (12 digits)' })
  @IsOptional()
  @Matches(/^\d{12}$/, { message: 'identifier must be 12 digits' })
  identifier?: string;

  @ApiPropertyOptional({ example: '2009-04-17' })
  @IsOptional()
  @IsDateString({ strict: true })
  birthDate?: string;

  @ApiPropertyOptional({ description: 'registered address of a person or family; address of a place' })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  address?: string;

  @ApiPropertyOptional({ type: LocationDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => LocationDto)
  location?: LocationDto;

  @IsOptional()
  @IsString()
  @Length(0, 2000)
  notes?: string;
}

export class RiskAssessmentDto {
  @ApiProperty({ description: 'codes from GET /risk-factors', example: ['weapon-access', 'alcohol-abuse'] })
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  factors!: string[];

  @ApiProperty({ enum: RISK_LEVELS })
  @IsIn(RISK_LEVELS)
  riskLevel!: RiskLevel;

  @ApiPropertyOptional({ description: 'required when the level differs from what the factors indicate' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  rationale?: string;

  @ApiPropertyOptional({ description: 'incident that revealed the factors' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  sourceIncidentId?: string;
}

export class OpenCaseDto {
  @ApiProperty({ example: 'ALA' })
  @IsWellFormedRegionCode({ message: 'regionCode must be a region code such as ALA' })
  regionCode!: string;

  @ApiPropertyOptional({ example: 'ALA-ALMALY' })
  @IsOptional()
  @IsString()
  @Length(2, 40)
  districtCode?: string;

  @ApiPropertyOptional({ type: SubjectDto, description: 'a new subject; or subjectId of a known one' })
  @IsOptional()
  @ValidateNested()
  @Type(() => SubjectDto)
  subject?: SubjectDto;

  @IsOptional()
  @IsUUID()
  subjectId?: string;

  @ApiProperty({ enum: CATEGORIES })
  @IsIn(CATEGORIES)
  category!: Category;

  @ApiProperty({ description: 'law or order under which the case is kept' })
  @IsString()
  @Length(3, 300)
  legalBasis!: string;

  @ApiProperty({ enum: AGENCIES })
  @IsIn(AGENCIES)
  ownerAgency!: Agency;

  @ApiProperty({ description: 'subject (user id) of the responsible officer' })
  @IsString()
  @Length(1, 200)
  responsibleOfficer!: string;

  @ApiPropertyOptional({ enum: AGENCIES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(AGENCIES, { each: true })
  agencies?: Agency[];

  @ApiPropertyOptional({ default: 90 })
  @IsOptional()
  @IsInt()
  @Min(7)
  @Max(365)
  reviewIntervalDays?: number;

  @ApiPropertyOptional({ type: RiskAssessmentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => RiskAssessmentDto)
  riskAssessment?: RiskAssessmentDto;
}

export class UpdateCaseDto {
  @IsOptional()
  @IsString()
  @Length(2, 40)
  districtCode?: string;

  @IsOptional()
  @IsIn(CATEGORIES)
  category?: Category;

  @IsOptional()
  @IsString()
  @Length(3, 300)
  legalBasis?: string;

  @IsOptional()
  @IsIn(AGENCIES)
  ownerAgency?: Agency;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  responsibleOfficer?: string;

  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(AGENCIES, { each: true })
  agencies?: Agency[];

  @IsOptional()
  @IsInt()
  @Min(7)
  @Max(365)
  reviewIntervalDays?: number;
}

export class ChangeStatusDto {
  @ApiProperty({ enum: CASE_STATUSES })
  @IsIn(CASE_STATUSES)
  status!: CaseStatus;

  @ApiPropertyOptional({ enum: OUTCOMES, description: 'required when closing' })
  @IsOptional()
  @IsIn(OUTCOMES)
  outcome?: Outcome;

  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;
}

export class RecordReviewDto {
  @ApiProperty({ description: 'what the review found and decided' })
  @IsString()
  @Length(3, 4000)
  conclusion!: string;
}

export class PlanMeasureDto {
  @ApiProperty({ enum: MEASURE_KINDS })
  @IsIn(MEASURE_KINDS)
  kind!: MeasureKind;

  @ApiProperty({ enum: AGENCIES })
  @IsIn(AGENCIES)
  agencyCode!: Agency;

  @IsString()
  @Length(1, 200)
  assigneeId!: string;

  @ApiProperty({ example: '2026-03-01T12:00:00Z' })
  @IsDateString()
  dueAt!: string;

  @IsOptional()
  @IsString()
  @Length(1, 2000)
  description?: string;
}

export class UpdateMeasureDto {
  @IsOptional()
  @IsIn(MEASURE_STATUSES)
  status?: MeasureStatus;

  @ApiPropertyOptional({ description: 'required when the measure is done' })
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  result?: string;

  @ApiPropertyOptional({ description: 'when it was done; default now' })
  @IsOptional()
  @IsDateString()
  completedAt?: string;

  @IsOptional()
  @IsDateString()
  dueAt?: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  assigneeId?: string;
}

/** Why a person's or family's data is read; recorded in the audit log. */
export class PurposeQueryDto {
  @ApiProperty({
    description: 'why the case is read, recorded in the audit log',
    example: 'home visit preparation',
  })
  @IsString()
  @Length(5, 300)
  purpose!: string;
}

export class ListCasesQueryDto {
  @IsOptional()
  @IsWellFormedRegionCode()
  regionCode?: string;

  @IsOptional()
  @IsString()
  @Length(2, 40)
  districtCode?: string;

  @IsOptional()
  @IsIn(CASE_STATUSES)
  status?: CaseStatus;

  @IsOptional()
  @IsIn(CATEGORIES)
  category?: Category;

  @IsOptional()
  @IsIn(SUBJECT_KINDS)
  subjectKind?: SubjectKind;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  responsibleOfficer?: string;

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

export class RegionQueryDto {
  @IsOptional()
  @IsWellFormedRegionCode()
  regionCode?: string;
}

export class LinkIncidentDto {
  @ApiProperty({ description: 'id of an incident of the case’s region' })
  @IsString()
  @Length(1, 100)
  incidentId!: string;

  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;
}
