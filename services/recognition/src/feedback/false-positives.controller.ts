import { Controller, Get, Query } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { incidents, Topics } from '@safecity/contracts';
import { EventConsumer, type ConsumedEvent } from '@safecity/messaging';
import {
  CurrentPrincipal,
  Operation,
  RegionScope,
  type Principal,
  IsWellFormedRegionCode,
} from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../recognition.policies';
import { Type } from 'class-transformer';
import { IsDate, IsOptional } from 'class-validator';
import { FalsePositivesService } from './false-positives.service';

export class FalsePositiveQueryDto {
  @IsOptional()
  @IsWellFormedRegionCode()
  regionCode?: string;

  @IsOptional()
  @Type(() => Date)
  @IsDate()
  since?: Date;

  @IsOptional()
  @Type(() => Date)
  @IsDate()
  until?: Date;
}

@ApiTags('false positives')
@ApiBearerAuth()
@Controller('false-positives')
export class FalsePositivesController {
  constructor(private readonly falsePositives: FalsePositivesService) {}

  /** Matches and alerts dismissed as false alarms, per camera, in the caller's regions. */
  @Get('by-camera')
  @Operation(P.readFalsePositives)
  byCamera(@Query() query: FalsePositiveQueryDto, @CurrentPrincipal() actor: Principal) {
    return this.falsePositives.byCamera(RegionScope.of(actor), query);
  }

  /** Matches dismissed as false alarms, per watchlist that raised them. */
  @Get('by-watchlist')
  @Operation(P.readFalsePositives)
  byWatchlist(@Query() query: FalsePositiveQueryDto, @CurrentPrincipal() actor: Principal) {
    return this.falsePositives.byWatchlist(RegionScope.of(actor), query);
  }
}

@EventConsumer()
export class IncidentDismissalsConsumer {
  constructor(private readonly falsePositives: FalsePositivesService) {}

  @EventPattern(Topics.Incidents)
  async onIncidentChanged(@Payload() event: ConsumedEvent<incidents.IncidentChanged>) {
    await this.falsePositives.onIncidentChanged(event);
  }
}
