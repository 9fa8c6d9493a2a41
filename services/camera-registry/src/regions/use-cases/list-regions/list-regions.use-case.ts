import { Injectable } from '@nestjs/common';
import { UseCase, UseCaseHandler } from '@safecity/security';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import { RegionsRepository, type RegionRow } from '../../regions.repository';
import type { ListRegions } from './list-regions.command';

/** The 17 regions and 3 cities of republican significance, with their envelopes. */
@Injectable()
export class ListRegionsUseCase extends UseCaseHandler<ListRegions, RegionRow[]> {
  constructor(private readonly regions: RegionsRepository) {
    super();
  }

  @UseCase(P.readRegions)
  async execute(_command: ListRegions): Promise<RegionRow[]> {
    return this.regions.listRegions();
  }
}
