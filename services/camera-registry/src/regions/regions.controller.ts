import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Operation } from '@safecity/security';
import { CAMERA_REGISTRY_POLICIES as P } from '../camera-registry.policies';
import { RegionsRepository } from './regions.repository';

@ApiTags('regions')
@ApiBearerAuth()
// Reference data: every signed-in role may read the map of regions and districts.
@Controller('regions')
export class RegionsController {
  constructor(private readonly regions: RegionsRepository) {}

  /** The 17 regions and 3 cities of republican significance, with their envelopes. */
  @Get()
  @Operation(P.readRegions)
  list() {
    return this.regions.listRegions();
  }

  @Get(':code/districts')
  @Operation(P.readRegions)
  async districts(@Param('code') code: string) {
    if (!(await this.regions.findRegion(code))) throw new NotFoundException(`region ${code} not found`);
    return this.regions.listDistricts(code);
  }
}
