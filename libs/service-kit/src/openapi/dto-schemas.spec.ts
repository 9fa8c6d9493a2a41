import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
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
import { Required } from '../validation';
import { describeDto, describeDtosFromValidation } from './dto-schemas';

class PointDto {
  @IsNumber()
  @Min(-90)
  @Max(90)
  lat!: number;
}

class BaseDto {
  @IsOptional()
  @IsString()
  @Length(3, 300)
  legalBasis?: string;
}

class ReportDto extends BaseDto {
  @IsIn(['fire', 'theft'])
  category!: string;

  @ApiPropertyOptional({ description: 'what was seen' })
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  text?: string;

  @ValidateNested()
  @Type(() => PointDto)
  location!: PointDto;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  @Matches(/^[A-Z]{3}$/, { each: true })
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',') : value))
  regions?: string[];

  @IsUUID()
  cameraId!: string;

  @IsDateString()
  at!: string;

  @IsInt()
  @Min(1)
  count!: number;

  @Required()
  @IsString()
  @Length(3, 300)
  declare legalBasis: string;
}

describe('describeDto: the OpenAPI description of a DTO from its validation rules', () => {
  const doc = describeDto(ReportDto);

  it('says what each rule accepts', () => {
    expect(doc['category']).toMatchObject({ required: true, type: 'string', enum: ['fire', 'theft'] });
    expect(doc['text']).toMatchObject({ required: false, type: String, minLength: 1, maxLength: 4000 });
    expect(doc['location']).toMatchObject({ required: true, type: PointDto });
    expect(doc['cameraId']).toMatchObject({ type: String, format: 'uuid' });
    expect(doc['at']).toMatchObject({ type: String, format: 'date-time' });
    expect(doc['count']).toMatchObject({ type: 'integer', minimum: 1 });
  });

  it('puts the rules of each item on the items, and marks comma-separated query lists', () => {
    expect(doc['regions']).toMatchObject({
      required: false,
      isArray: true,
      type: String,
      pattern: '^[A-Z]{3}$',
      maxItems: 3,
      style: 'form',
      explode: false,
    });
  });

  it('is required exactly when validation requires it: @Required() over an inherited @IsOptional()', () => {
    expect(doc['legalBasis']).toMatchObject({ required: true, minLength: 3 });
    expect(describeDto(BaseDto)['legalBasis']).toMatchObject({ required: false });
  });

  it('gives nested DTOs their description too', () => {
    const described = describeDtosFromValidation([ReportDto]);
    expect([...described]).toEqual(expect.arrayContaining([ReportDto, PointDto]));
    const factory = (PointDto as unknown as { _OPENAPI_METADATA_FACTORY: () => unknown })
      ._OPENAPI_METADATA_FACTORY;
    expect(factory()).toEqual({
      lat: expect.objectContaining({ required: true, minimum: -90, maximum: 90 }),
    });
  });
});
