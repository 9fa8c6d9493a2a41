import { Injectable } from '@nestjs/common';
import { RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import type { VideoSystemEntity } from '../../video-system.entity';
import { VideoSystemsRepository } from '../../video-systems.repository';
import type { GetVideoSystem } from './get-video-system.command';

/** A video system of the caller's regions; another region's is not found. */
@Injectable()
export class GetVideoSystemUseCase extends UseCaseHandler<GetVideoSystem, VideoSystemEntity> {
  constructor(
    private readonly access: RegionAccess,
    private readonly systems: VideoSystemsRepository,
  ) {
    super();
  }

  @UseCase(P.getVideoSystem)
  async execute({ actor, id }: GetVideoSystem): Promise<VideoSystemEntity> {
    const scope = RegionScope.of(actor);
    return this.access.run(scope, (manager) => this.systems.get(manager, scope, id));
  }
}
