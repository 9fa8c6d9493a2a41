import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, IsUUID, Matches, MaxLength, Min, MinLength } from 'class-validator';

export class ReassignmentDto {
  @ApiPropertyOptional({ description: 'subject of the operator now responsible; "" leaves it unassigned' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/^[^\s]*$/, { message: 'assigneeId must be a subject without spaces' })
  assigneeId?: string;

  @ApiPropertyOptional({ description: 'operations center of the incident’s region now handling it' })
  @IsOptional()
  @IsUUID()
  operationsCenterId?: string;

  @ApiProperty({ description: 'why it is handed over; kept in the audit log and on the change' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason!: string;

  @ApiPropertyOptional({ description: 'optimistic concurrency: refused with 409 when stale' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}
