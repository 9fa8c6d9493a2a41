import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

export class SopStepDto {
  @Matches(/^[a-z0-9-]{1,40}$/, { message: 'id must be 1 to 40 lowercase letters, digits or hyphens' })
  id!: string;

  @IsString()
  @Length(1, 200)
  title!: string;
}

export class SopDto {
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => SopStepDto)
  steps!: SopStepDto[];
}

export class CompleteStepDto {
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}
