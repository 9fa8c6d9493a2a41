import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Required } from '@safecity/service-kit';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { BEHAVIOURS, SEVERITIES, type Behaviour, type Severity } from './behaviour-rule';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export class ScheduleWindowDto {
  @ApiProperty({ example: [1, 2, 3, 4, 5], description: 'ISO weekdays, 1 Monday … 7 Sunday' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  days!: number[];

  @ApiProperty({ example: '22:00' })
  @Matches(HHMM, { message: 'from must be HH:MM' })
  from!: string;

  @ApiProperty({ example: '06:00', description: 'Before `from`: the window runs past midnight' })
  @Matches(HHMM, { message: 'to must be HH:MM' })
  to!: string;
}

export class PointDto {
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  x!: number;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  y!: number;
}

export class BehaviourRuleFieldsDto {
  @ApiPropertyOptional({ minimum: 0, maximum: 1 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  minConfidence?: number;

  @ApiPropertyOptional({ type: [ScheduleWindowDto], description: 'Empty: always armed' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ScheduleWindowDto)
  schedule?: ScheduleWindowDto[];

  @ApiPropertyOptional({ example: 'Asia/Almaty', description: "IANA time zone of the camera's local time" })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  timeZone?: string;

  @ApiPropertyOptional({
    type: [PointDto],
    description: 'Polygon, frame coordinates 0..1; omit for the whole frame',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(3)
  @ArrayMaxSize(64)
  @ValidateNested({ each: true })
  @Type(() => PointDto)
  zone?: PointDto[];

  @ApiPropertyOptional({ enum: SEVERITIES })
  @IsOptional()
  @IsIn(SEVERITIES)
  severity?: Severity;

  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class CreateBehaviourRuleDto extends BehaviourRuleFieldsDto {
  @ApiProperty({ enum: BEHAVIOURS })
  @IsIn(BEHAVIOURS)
  behaviour!: Behaviour;

  @ApiProperty({ minimum: 0, maximum: 1 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  @Required()
  declare minConfidence: number;

  @ApiProperty({ enum: SEVERITIES })
  @IsIn(SEVERITIES)
  @Required()
  declare severity: Severity;
}
