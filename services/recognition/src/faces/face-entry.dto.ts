import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Required } from '@safecity/service-kit';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { IsWellFormedRegionCode } from '@safecity/security';

export class EnrolTemplateDto {
  @ApiProperty({ example: 'arcface-r100@1.2', description: 'Extractor model and version' })
  @Matches(/^[A-Za-z0-9._-]{1,80}@[A-Za-z0-9._-]{1,40}$/, { message: 'model must be "<name>@<version>"' })
  model!: string;

  @ApiProperty({
    type: [Number],
    description: 'The embedding; compared only with templates of the same model',
  })
  @IsArray()
  @ArrayMinSize(16)
  @ArrayMaxSize(4096)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { each: true })
  vector!: number[];
}

export class FaceEntryFieldsDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(3, 500)
  legalBasis?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  owner?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  expiresAt?: Date;

  @ApiPropertyOptional({ example: ['ALA'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsWellFormedRegionCode({ each: true })
  regions?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  national?: boolean;
}

export class EnrolSubjectDto extends FaceEntryFieldsDto {
  @ApiProperty({
    example: 'case-2026-0042/person-1',
    description: 'Pseudonymous reference the list owner resolves',
  })
  @Matches(/^[A-Za-z0-9._:/-]{1,100}$/)
  subjectRef!: string;

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

  @ApiProperty({ type: [EnrolTemplateDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => EnrolTemplateDto)
  templates!: EnrolTemplateDto[];
}
