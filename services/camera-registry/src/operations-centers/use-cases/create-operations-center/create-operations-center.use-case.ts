import { Injectable } from '@nestjs/common';
import { RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { UnprocessableFieldException } from '@safecity/service-kit';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import { RegionsRepository } from '../../../regions/regions.repository';
import { OperationsCentersRepository, type OperationsCenter } from '../../operations-centers.repository';
import type { CreateOperationsCenter } from './create-operations-center.command';

/** An operations center of one of the caller's regions and the area it covers. */
@Injectable()
export class CreateOperationsCenterUseCase extends UseCaseHandler<CreateOperationsCenter, OperationsCenter> {
  constructor(
    private readonly access: RegionAccess,
    private readonly regions: RegionsRepository,
    private readonly centers: OperationsCentersRepository,
  ) {
    super();
  }

  @UseCase(P.createOperationsCenter)
  async execute(command: CreateOperationsCenter): Promise<OperationsCenter> {
    const scope = RegionScope.of(command.actor);
    const region = await this.regions.findRegion(command.regionCode);
    if (!region) throw new UnprocessableFieldException('regionCode', `unknown region ${command.regionCode}`);
    if (!scope.includes(region.code)) {
      throw new UnprocessableFieldException('regionCode', `region ${region.code} is outside your regions`);
    }
    let envelope = region.bbox;
    if (command.districtCode) {
      const district = await this.regions.findDistrict(command.districtCode);
      if (!district || district.regionCode !== region.code) {
        throw new UnprocessableFieldException(
          'districtCode',
          `no district ${command.districtCode} in region ${region.code}`,
        );
      }
      envelope = district.bbox;
    }
    const coverage = command.coverage ?? envelope;
    if (coverage.minLon >= coverage.maxLon || coverage.minLat >= coverage.maxLat) {
      throw new UnprocessableFieldException('coverage', 'min corner must be south-west of max corner');
    }
    return this.access.run(scope, (m) =>
      this.centers.insert(m, {
        name: command.name,
        regionCode: region.code,
        districtCode: command.districtCode ?? null,
        coverage,
      }),
    );
  }
}
