import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Operation, type Principal } from '@safecity/security';
import { CAMERA_REGISTRY_POLICIES as P } from '../camera-registry.policies';
import { ListDistrictsUseCase, ListRegionsUseCase } from './use-cases';

@ApiTags('regions')
@ApiBearerAuth()
// Reference data: every signed-in role may read the map of regions and districts.
@Controller('regions')
export class RegionsController {
  constructor(
    private readonly listRegions: ListRegionsUseCase,
    private readonly listDistricts: ListDistrictsUseCase,
  ) {}

  /** The 17 regions and 3 cities of republican significance, with their envelopes. */
  @Get()
  @Operation(P.readRegions)
  list(@CurrentPrincipal() actor: Principal) {
    return this.listRegions.execute({ actor });
  }

  @Get(':code/districts')
  @Operation(P.readRegions)
  districts(@Param('code') code: string, @CurrentPrincipal() actor: Principal) {
    return this.listDistricts.execute({ actor, regionCode: code });
  }
}
