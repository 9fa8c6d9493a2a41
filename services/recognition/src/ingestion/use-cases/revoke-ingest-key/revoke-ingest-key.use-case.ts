import { Injectable } from '@nestjs/common';
import {
  ApiKeyStore,
  AuditLog,
  RegionScope,
  RegionAccess,
  UseCase,
  UseCaseHandler,
} from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { auditKeyChange } from '../../keys/ingest-keys';
import type { RevokeIngestKey } from './revoke-ingest-key.command';

/** Revokes a video system's ingest key at once; the revocation is audited. */
@Injectable()
export class RevokeIngestKeyUseCase extends UseCaseHandler<RevokeIngestKey, void> {
  constructor(
    private readonly access: RegionAccess,
    private readonly keys: ApiKeyStore,
    private readonly audit: AuditLog,
  ) {
    super();
  }

  @UseCase(P.keepIngestKeys)
  async execute({ actor, videoSystemId, keyId }: RevokeIngestKey): Promise<void> {
    const key = await this.keys.get(keyId);
    if (!key || key.videoSystemId !== videoSystemId || !RegionScope.of(actor).includes(key.regionCode)) {
      throw new NotFoundError(`no API key ${keyId} for this video system`);
    }
    await this.access.run(RegionScope.allRegions(), async (manager) => {
      if (!(await this.keys.revoke(keyId, manager))) throw new NotFoundError(`no active API key ${keyId}`);
      await auditKeyChange(this.audit, manager, actor, 'erase', videoSystemId, keyId, key.regionCode);
    });
  }
}
