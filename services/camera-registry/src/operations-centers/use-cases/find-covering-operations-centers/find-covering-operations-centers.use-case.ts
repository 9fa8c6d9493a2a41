import { Injectable } from '@nestjs/common';
import { RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import { OperationsCentersRepository, type OperationsCenter } from '../../operations-centers.repository';
import type { FindCoveringOperationsCenters } from './find-covering-operations-centers.command';

/** The centers whose area holds a point, the most specific first: where an incident is routed. */
@Injectable()
export class FindCoveringOperationsCentersUseCase extends UseCaseHandler<
  FindCoveringOperationsCenters,
  OperationsCenter[]
> {
  constructor(
    private readonly access: RegionAccess,
    private readonly centers: OperationsCentersRepository,
  ) {
    super();
  }

  @UseCase(P.readOperationsCenters)
  async execute({ actor, lat, lon }: FindCoveringOperationsCenters): Promise<OperationsCenter[]> {
    const scope = RegionScope.of(actor);
    return this.access.run(scope, (m) => this.centers.covering(m, scope, lat, lon));
  }
}
