import { Controller, Get, Query } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { incidents, Topics } from '@safecity/contracts';
import { EventConsumer, type ConsumedEvent } from '@safecity/messaging';
import { CurrentPrincipal, IsWellFormedRegionCode, Operation, type Principal } from '@safecity/security';
import { RECOGNITION_POLICIES as P } from '../recognition.policies';
import { Type } from 'class-transformer';
import { IsDate, IsOptional } from 'class-validator';
import {
  CountFalsePositivesByCameraUseCase,
  CountFalsePositivesByWatchlistUseCase,
  RecordIncidentDismissalUseCase,
} from './use-cases';

/** incidents announces its changes on the bus, which authenticated it as the producer. */
const INCIDENTS: Principal = {
  kind: 'service',
  subject: Topics.Incidents,
  roles: ['service'],
  regions: 'all',
};

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
  constructor(
    private readonly countByCamera: CountFalsePositivesByCameraUseCase,
    private readonly countByWatchlist: CountFalsePositivesByWatchlistUseCase,
  ) {}

  /** Matches and alerts dismissed as false alarms, per camera, in the caller's regions. */
  @Get('by-camera')
  @Operation(P.readFalsePositives)
  byCamera(@Query() query: FalsePositiveQueryDto, @CurrentPrincipal() actor: Principal) {
    return this.countByCamera.execute({ actor, filter: query });
  }

  /** Matches dismissed as false alarms, per watchlist that raised them. */
  @Get('by-watchlist')
  @Operation(P.readFalsePositives)
  byWatchlist(@Query() query: FalsePositiveQueryDto, @CurrentPrincipal() actor: Principal) {
    return this.countByWatchlist.execute({ actor, filter: query });
  }
}

@EventConsumer()
export class IncidentDismissalsConsumer {
  constructor(private readonly recordIncidentDismissal: RecordIncidentDismissalUseCase) {}

  @EventPattern(Topics.Incidents)
  async onIncidentChanged(@Payload() event: ConsumedEvent<incidents.IncidentChanged>) {
    await this.recordIncidentDismissal.execute({ actor: INCIDENTS, change: event });
  }
}
