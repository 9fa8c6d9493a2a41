import { Injectable } from '@nestjs/common';
import { RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import { OperationsCentersRepository, type OperationsCenter } from '../../operations-centers.repository';
import type { ListOperationsCenters } from './list-operations-centers.command';

/** The operations centers of the caller's regions by name, at most 500. */
@Injectable()
export class ListOperationsCentersUseCase extends UseCaseHandler<ListOperationsCenters, OperationsCenter[]> {
  constructor(
    private readonly access: RegionAccess,
    private readonly centers: OperationsCentersRepository,
  ) {
    super();
  }

  @UseCase(P.readOperationsCenters)
  async execute({ actor, regionCode }: ListOperationsCenters): Promise<OperationsCenter[]> {
    const scope = RegionScope.of(actor);
    return this.access.run(scope, (m) => this.centers.list(m, scope, regionCode));
  }
}
