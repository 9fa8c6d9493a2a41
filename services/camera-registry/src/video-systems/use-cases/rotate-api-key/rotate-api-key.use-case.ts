import { Injectable } from '@nestjs/common';
import {
  ApiKeyNotFoundError,
  ApiKeyStore,
  RegionAccess,
  RegionScope,
  UseCase,
  UseCaseHandler,
} from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { CAMERA_REGISTRY_POLICIES as P } from '../../../camera-registry.policies';
import { ApiKeyChanges } from '../../api-key-changes';
import { VideoSystemsRepository } from '../../video-systems.repository';
import type { RotateApiKey } from './rotate-api-key.command';

type RotatedKey = Awaited<ReturnType<ApiKeyStore['rotate']>>;

/** A replacement key; the old one keeps working for the overlap window. */
@Injectable()
export class RotateApiKeyUseCase extends UseCaseHandler<RotateApiKey, RotatedKey> {
  constructor(
    private readonly access: RegionAccess,
    private readonly systems: VideoSystemsRepository,
    private readonly apiKeys: ApiKeyStore,
    private readonly changes: ApiKeyChanges,
  ) {
    super();
  }

  @UseCase(P.rotateApiKey)
  async execute({ actor, videoSystemId, keyId, overlapHours }: RotateApiKey): Promise<RotatedKey> {
    const scope = RegionScope.of(actor);
    const system = await this.access.run(scope, (manager) => this.systems.get(manager, scope, videoSystemId));
    await this.changes.ensureOwnedBy(system, keyId);
    return this.access.run(scope, async (manager) => {
      const rotated = await this.apiKeys
        .rotate(keyId, overlapHours === undefined ? {} : { overlap: { hours: overlapHours } }, manager)
        .catch((error: unknown) => {
          if (error instanceof ApiKeyNotFoundError) throw new NotFoundError(`no active API key ${keyId}`);
          throw error;
        });
      await this.changes.record(manager, actor, 'update', system, keyId, {
        rotatedTo: rotated.replacement.keyId,
      });
      return rotated;
    });
  }
}
