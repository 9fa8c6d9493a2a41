import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
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
  CAMERA_CAPABILITIES,
  CAMERA_LIFECYCLES,
  CAMERA_STATUSES,
  MOUNT_TYPES,
  type CameraCapabilityName,
  type CameraLifecycleName,
  type CameraStatusName,
  type MountTypeName,
} from '../camera.entity';

export class GeoPointDto {
  @ApiProperty({ example: 43.2383 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat!: number;

  @ApiProperty({ example: 76.9454 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lon!: number;
}

export class NormalizedPointDto {
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  x!: number;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  y!: number;
}

export class PrivacyMaskDto {
  @IsString()
  @Length(1, 100)
  name!: string;

  @IsArray()
  @ArrayMinSize(3)
  @ArrayMaxSize(64)
  @ValidateNested({ each: true })
  @Type(() => NormalizedPointDto)
  polygon!: NormalizedPointDto[];
}

const TAG = /^[a-z0-9][a-z0-9-]{0,39}$/;
const SETTABLE_LIFECYCLES = CAMERA_LIFECYCLES.filter((l) => l !== 'decommissioned');

/** Fields an integrator may set on a camera; ids, status and version belong to the platform. */
export class CameraFieldsDto {
  @ApiPropertyOptional({ example: 'ALA-ALMALY' })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  districtCode?: string;

  @ApiProperty({ example: 'Abay Ave / Dostyk Ave, north-east corner' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ type: GeoPointDto })
  @IsDefined({ message: 'location must be an object with lat and lon' })
  @ValidateNested()
  @Type(() => GeoPointDto)
  location!: GeoPointDto;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 300)
  address?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 360 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(360)
  directionDeg?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 360 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(1)
  @Max(360)
  fieldOfViewDeg?: number;

  @ApiPropertyOptional({ enum: MOUNT_TYPES })
  @IsOptional()
  @IsIn(MOUNT_TYPES)
  mountType?: MountTypeName;

  @ApiProperty({ enum: CAMERA_CAPABILITIES, isArray: true })
  @IsArray()
  @ArrayMaxSize(CAMERA_CAPABILITIES.length)
  @IsIn(CAMERA_CAPABILITIES, { each: true })
  capabilities!: CameraCapabilityName[];

  @ApiPropertyOptional({ type: [PrivacyMaskDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @ValidateNested({ each: true })
  @Type(() => PrivacyMaskDto)
  privacyMasks?: PrivacyMaskDto[];

  @ApiPropertyOptional({ example: ['school', 'transport-hub'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(TAG, { each: true, message: 'each tag must be lowercase letters, digits and dashes (max 40)' })
  tags?: string[];

  @ApiPropertyOptional({ enum: SETTABLE_LIFECYCLES, default: 'active' })
  @IsOptional()
  @IsIn(SETTABLE_LIFECYCLES)
  lifecycle?: Exclude<CameraLifecycleName, 'decommissioned'>;
}

export class RegisterCameraDto extends CameraFieldsDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  videoSystemId!: string;

  @ApiProperty({ example: 'ch-101', description: 'The camera id inside its video system' })
  @IsString()
  @Length(1, 128)
  externalId!: string;
}

const LIST = (value: unknown) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : value;
const NUMBERS = (value: unknown) =>
  typeof value === 'string' ? value.split(',').map((v) => (v.trim() === '' ? NaN : Number(v))) : value;

export class ListCamerasQueryDto {
  @ApiPropertyOptional({ example: 'ALA' })
  @IsOptional()
  @IsString()
  @Length(2, 10)
  regionCode?: string;

  @ApiPropertyOptional({ example: 'ALA-ALMALY' })
  @IsOptional()
  @IsString()
  @Length(2, 40)
  districtCode?: string;

  @ApiPropertyOptional({ description: 'minLon,minLat,maxLon,maxLat', example: '76.90,43.22,76.97,43.27' })
  @IsOptional()
  @Transform(({ value }) => NUMBERS(value))
  @IsArray()
  @ArrayMinSize(4, { message: 'bbox must be minLon,minLat,maxLon,maxLat' })
  @ArrayMaxSize(4, { message: 'bbox must be minLon,minLat,maxLon,maxLat' })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { each: true, message: 'bbox must hold four numbers' })
  bbox?: number[];

  @ApiPropertyOptional({
    description: 'lat,lon of the centre of a radius search',
    example: '43.2383,76.9454',
  })
  @IsOptional()
  @Transform(({ value }) => NUMBERS(value))
  @IsArray()
  @ArrayMinSize(2, { message: 'near must be lat,lon' })
  @ArrayMaxSize(2, { message: 'near must be lat,lon' })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { each: true, message: 'near must hold two numbers' })
  near?: number[];

  @ApiPropertyOptional({ description: 'radius around `near`, metres', minimum: 1, maximum: 50000 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(1)
  @Max(50_000)
  radiusM?: number;

  @ApiPropertyOptional({
    enum: CAMERA_CAPABILITIES,
    isArray: true,
    description: 'comma-separated; all must be present',
  })
  @IsOptional()
  @Transform(({ value }) => LIST(value))
  @IsArray()
  @IsIn(CAMERA_CAPABILITIES, { each: true })
  capability?: CameraCapabilityName[];

  @ApiPropertyOptional({ description: 'comma-separated; all must be present', example: 'school' })
  @IsOptional()
  @Transform(({ value }) => LIST(value))
  @IsArray()
  @ArrayMaxSize(10)
  @Matches(TAG, { each: true, message: 'each tag must be lowercase letters, digits and dashes (max 40)' })
  tag?: string[];

  @ApiPropertyOptional({ enum: CAMERA_STATUSES })
  @IsOptional()
  @IsIn(CAMERA_STATUSES)
  status?: CameraStatusName;

  @ApiPropertyOptional({ enum: CAMERA_LIFECYCLES })
  @IsOptional()
  @IsIn(CAMERA_LIFECYCLES)
  lifecycle?: CameraLifecycleName;

  @ApiPropertyOptional({ description: 'text in name, address or vendor id', example: 'Dostyk' })
  @IsOptional()
  @IsString()
  @Length(2, 100)
  q?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;
}
