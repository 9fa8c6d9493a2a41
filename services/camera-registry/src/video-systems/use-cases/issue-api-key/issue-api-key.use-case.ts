import { Injectable } from '@nestjs/common';
import { ApiKeyStore, RegionAccess, RegionScope, UseCase, UseCaseHandler } from '@safecity/security';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import { ApiKeyChanges } from '../../api-key-changes';
import { VideoSystemsRepository } from '../../video-systems.repository';
import type { IssueApiKey } from './issue-api-key.command';

type IssuedKey = Awaited<ReturnType<ApiKeyStore['issue']>>;

/** A new API key for the system; the secret is in the answer and nowhere else, ever. */
@Injectable()
export class IssueApiKeyUseCase extends UseCaseHandler<IssueApiKey, IssuedKey> {
  constructor(
    private readonly access: RegionAccess,
    private readonly systems: VideoSystemsRepository,
    private readonly apiKeys: ApiKeyStore,
    private readonly changes: ApiKeyChanges,
  ) {
    super();
  }

  @UseCase(P.issueApiKey)
  async execute({ actor, videoSystemId, label }: IssueApiKey): Promise<IssuedKey> {
    const scope = RegionScope.of(actor);
    const system = await this.access.run(scope, (manager) => this.systems.get(manager, scope, videoSystemId));
    return this.access.run(scope, async (manager) => {
      const issued = await this.apiKeys.issue(
        { videoSystemId: system.id, regionCode: system.regionCode, label },
        manager,
      );
      await this.changes.record(manager, actor, 'create', system, issued.keyId);
      return issued;
    });
  }
}
