import { Injectable } from '@nestjs/common';
import { ApiKeyStore, RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import { VideoSystemsRepository } from '../../video-systems.repository';
import type { ListApiKeys } from './list-api-keys.command';

type ListedKeys = Awaited<ReturnType<ApiKeyStore['list']>>;

/** The keys of a system of the caller's regions, without their secrets. */
@Injectable()
export class ListApiKeysUseCase extends UseCaseHandler<ListApiKeys, ListedKeys> {
  constructor(
    private readonly access: RegionAccess,
    private readonly systems: VideoSystemsRepository,
    private readonly apiKeys: ApiKeyStore,
  ) {
    super();
  }

  @UseCase(P.listApiKeys)
  async execute({ actor, videoSystemId }: ListApiKeys): Promise<ListedKeys> {
    const scope = RegionScope.of(actor);
    const system = await this.access.run(scope, (manager) => this.systems.get(manager, scope, videoSystemId));
    return this.apiKeys.list(system.id);
  }
}
