import { Injectable } from '@nestjs/common';
import { RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import type { VideoSystemEntity } from '../../video-system.entity';
import { VideoSystemsRepository } from '../../video-systems.repository';
import type { ListVideoSystems } from './list-video-systems.command';

/** The video systems of the caller's regions, oldest first, at most 500. */
@Injectable()
export class ListVideoSystemsUseCase extends UseCaseHandler<ListVideoSystems, VideoSystemEntity[]> {
  constructor(
    private readonly access: RegionAccess,
    private readonly systems: VideoSystemsRepository,
  ) {
    super();
  }

  @UseCase(P.listVideoSystems)
  async execute({ actor, regionCode }: ListVideoSystems): Promise<VideoSystemEntity[]> {
    const scope = RegionScope.of(actor);
    return this.access.run(scope, (manager) => this.systems.list(manager, scope, regionCode));
  }
}
