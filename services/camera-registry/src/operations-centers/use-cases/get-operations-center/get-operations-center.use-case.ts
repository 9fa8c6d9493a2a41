import { Injectable } from '@nestjs/common';
import { RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import { OperationsCentersRepository, type OperationsCenter } from '../../operations-centers.repository';
import type { GetOperationsCenter } from './get-operations-center.command';

/** An operations center of the caller's regions; another region's is not found. */
@Injectable()
export class GetOperationsCenterUseCase extends UseCaseHandler<GetOperationsCenter, OperationsCenter> {
  constructor(
    private readonly access: RegionAccess,
    private readonly centers: OperationsCentersRepository,
  ) {
    super();
  }

  @UseCase(P.readOperationsCenters)
  async execute({ actor, id }: GetOperationsCenter): Promise<OperationsCenter> {
    const scope = RegionScope.of(actor);
    const center = await this.access.run(scope, (m) => this.centers.find(m, scope, id));
    if (!center) throw new NotFoundError(`operations center ${id} not found`);
    return center;
  }
}
