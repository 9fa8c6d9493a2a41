import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { HEARTBEAT_CONDITIONS, type HeartbeatCondition } from './health-model';
import { MAX_INTERVAL_SECONDS, MIN_INTERVAL_SECONDS } from './health-settings';

// A time without an offset would be read in whatever zone the server runs in.
const ZONED = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const ZONED_MESSAGE = 'observedAt must be a date-time with a UTC offset, e.g. 2025-05-01T10:00:00Z';
const OBSERVED_AT_DOC = {
  format: 'date-time',
  description:
    'When the camera or system was observed; defaults to the time of receipt. At most 5 minutes ahead ' +
    'of the platform clock and at most 1 hour old (422 otherwise).',
};
const CONDITION_DOC = {
  enum: HEARTBEAT_CONDITIONS,
  default: 'ok',
  description: '`fault`: reachable but no usable video (video loss, tamper); the camera counts as offline.',
};

export class HeartbeatCameraDto {
  @ApiProperty({ example: 'ch-101', description: 'The camera id inside the video system' })
  @IsString()
  @Length(1, 128)
  externalId!: string;

  @ApiPropertyOptional(CONDITION_DOC)
  @IsOptional()
  @IsIn(HEARTBEAT_CONDITIONS)
  status?: HeartbeatCondition;

  @ApiPropertyOptional({ example: 'video loss', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  detail?: string;
}

export class SystemHeartbeatDto {
  @ApiPropertyOptional(OBSERVED_AT_DOC)
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(ZONED, { message: ZONED_MESSAGE })
  observedAt?: string;

  @ApiPropertyOptional({
    type: [HeartbeatCameraDto],
    description:
      'Cameras the system sees right now. Cameras it does not list are not touched: they turn offline ' +
      'only once they have been silent for their expected interval times the missed-heartbeat allowance.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => HeartbeatCameraDto)
  cameras?: HeartbeatCameraDto[];
}

export class CameraHeartbeatDto {
  @ApiPropertyOptional(OBSERVED_AT_DOC)
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(ZONED, { message: ZONED_MESSAGE })
  observedAt?: string;

  @ApiPropertyOptional(CONDITION_DOC)
  @IsOptional()
  @IsIn(HEARTBEAT_CONDITIONS)
  status?: HeartbeatCondition;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  detail?: string;
}

export class CameraHealthSettingsDto {
  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: MIN_INTERVAL_SECONDS,
    maximum: MAX_INTERVAL_SECONDS,
    description: "Expected seconds between the camera's heartbeats; null inherits the video system's.",
  })
  @ValidateIf((o: CameraHealthSettingsDto) => o.expectedIntervalSeconds !== null)
  @IsInt()
  @Min(MIN_INTERVAL_SECONDS)
  @Max(MAX_INTERVAL_SECONDS)
  expectedIntervalSeconds!: number | null;
}

export class VideoSystemHealthSettingsDto {
  @ApiProperty({
    minimum: MIN_INTERVAL_SECONDS,
    maximum: MAX_INTERVAL_SECONDS,
    description: 'Expected seconds between heartbeats of the system and of its cameras that set none.',
  })
  @IsInt()
  @Min(MIN_INTERVAL_SECONDS)
  @Max(MAX_INTERVAL_SECONDS)
  heartbeatIntervalSeconds!: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class UptimeQueryDto {
  @ApiPropertyOptional({
    example: '2025-05-01',
    description: 'First day (Almaty time); default six days before `to`',
  })
  @IsOptional()
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({
    example: '2025-05-07',
    description: 'Last day, inclusive (Almaty time); default today',
  })
  @IsOptional()
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' })
  to?: string;
}
