import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RegionsRepository } from './regions.repository';

@ApiTags('regions')
@Controller('regions')
export class RegionsController {
  constructor(private readonly regions: RegionsRepository) {}

  /** The 17 regions and 3 cities of republican significance, with their envelopes. */
  @Get()
  list() {
    return this.regions.listRegions();
  }

  @Get(':code/districts')
  async districts(@Param('code') code: string) {
    if (!(await this.regions.findRegion(code))) throw new NotFoundException(`region ${code} not found`);
    return this.regions.listDistricts(code);
  }
}
