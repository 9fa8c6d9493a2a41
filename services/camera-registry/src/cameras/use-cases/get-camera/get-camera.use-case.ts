import { Injectable } from '@nestjs/common';
import { RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import type { CameraEntity } from '../../camera.entity';
import { CamerasRepository } from '../../cameras.repository';
import type { GetCamera } from './get-camera.command';

/** The camera, or not found when it does not exist or lies outside the caller's regions. */
@Injectable()
export class GetCameraUseCase extends UseCaseHandler<GetCamera, CameraEntity> {
  constructor(
    private readonly cameras: CamerasRepository,
    private readonly access: RegionAccess,
  ) {
    super();
  }

  @UseCase(P.getCamera)
  async execute({ actor, id }: GetCamera): Promise<CameraEntity> {
    const scope = RegionScope.of(actor);
    const camera = await this.access.run(scope, (m) => this.cameras.findById(m, scope, id));
    if (!camera) throw new NotFoundError(`camera ${id} not found`);
    return camera;
  }
}
