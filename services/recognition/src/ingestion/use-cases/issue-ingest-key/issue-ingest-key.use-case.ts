import { Injectable } from '@nestjs/common';
import {
  ApiKeyStore,
  AuditLog,
  RegionScope,
  RegionAccess,
  UseCase,
  UseCaseHandler,
  type IssuedApiKey,
} from '@safecity/security';
import {
  InvalidError,
  isDependencyUnavailable,
  NotFoundError,
  UnavailableError,
} from '@safecity/service-kit';
import { CameraRegistryGateway } from '../../../camera-directory/camera-registry.client';
import { RECOGNITION_POLICIES as P } from '../../../recognition.policies';
import { auditKeyChange } from '../../keys/ingest-keys';
import type { IssueIngestKey } from './issue-ingest-key.command';

/**
 * A key for a video system's ingest routes, shown in this answer only. Issued only for a system
 * camera-registry knows in the caller's regions (a missing one and another region's are alike),
 * and bound to the system's own region.
 */
@Injectable()
export class IssueIngestKeyUseCase extends UseCaseHandler<IssueIngestKey, IssuedApiKey> {
  constructor(
    private readonly access: RegionAccess,
    private readonly keys: ApiKeyStore,
    private readonly audit: AuditLog,
    private readonly registry: CameraRegistryGateway,
  ) {
    super();
  }

  @UseCase(P.keepIngestKeys)
  async execute({ actor, videoSystemId, key }: IssueIngestKey): Promise<IssuedApiKey> {
    const system = await this.registry.getVideoSystem(videoSystemId).catch((error: unknown) => {
      if (isDependencyUnavailable(error))
        throw new UnavailableError('video systems cannot be looked up now; retry later', { cause: error });
      throw error;
    });
    if (!system || !RegionScope.of(actor).includes(system.regionCode))
      throw new NotFoundError(`video system ${videoSystemId} not found`);
    if (key.regionCode !== undefined && key.regionCode !== system.regionCode)
      throw new InvalidError({ field: 'regionCode', reason: "is not the video system's region" });
    return this.access.run(RegionScope.allRegions(), async (manager) => {
      const issued = await this.keys.issue(
        { videoSystemId, regionCode: system.regionCode, label: key.label },
        manager,
      );
      await auditKeyChange(
        this.audit,
        manager,
        actor,
        'create',
        videoSystemId,
        issued.keyId,
        system.regionCode,
      );
      return issued;
    });
  }
}
