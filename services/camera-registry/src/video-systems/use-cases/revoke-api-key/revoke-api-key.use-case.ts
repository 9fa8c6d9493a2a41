import { Injectable } from '@nestjs/common';
import { ApiKeyStore, RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import { ApiKeyChanges } from '../../api-key-changes';
import { VideoSystemsRepository } from '../../video-systems.repository';
import type { RevokeApiKey } from './revoke-api-key.command';

/** Ends a key at once; the audit record is its erasure. */
@Injectable()
export class RevokeApiKeyUseCase extends UseCaseHandler<RevokeApiKey, void> {
  constructor(
    private readonly access: RegionAccess,
    private readonly systems: VideoSystemsRepository,
    private readonly apiKeys: ApiKeyStore,
    private readonly changes: ApiKeyChanges,
  ) {
    super();
  }

  @UseCase(P.revokeApiKey)
  async execute({ actor, videoSystemId, keyId }: RevokeApiKey): Promise<void> {
    const scope = RegionScope.of(actor);
    const system = await this.access.run(scope, (manager) => this.systems.get(manager, scope, videoSystemId));
    await this.changes.ensureOwnedBy(system, keyId);
    await this.access.run(scope, async (manager) => {
      if (!(await this.apiKeys.revoke(keyId, manager))) throw new NotFoundError(`no active API key ${keyId}`);
      await this.changes.record(manager, actor, 'erase', system, keyId);
    });
  }
}
