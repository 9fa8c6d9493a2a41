import { Injectable } from '@nestjs/common';
import { UseCase, UseCaseHandler } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import { RegionsRepository, type DistrictRow } from '../../regions.repository';
import type { ListDistricts } from './list-districts.command';

/** The districts of a region, by name. */
@Injectable()
export class ListDistrictsUseCase extends UseCaseHandler<ListDistricts, DistrictRow[]> {
  constructor(private readonly regions: RegionsRepository) {
    super();
  }

  @UseCase(P.readRegions)
  async execute({ regionCode }: ListDistricts): Promise<DistrictRow[]> {
    if (!(await this.regions.findRegion(regionCode)))
      throw new NotFoundError(`region ${regionCode} not found`);
    return this.regions.listDistricts(regionCode);
  }
}
