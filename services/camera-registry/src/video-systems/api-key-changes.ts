import { Injectable } from '@nestjs/common';
import { ApiKeyStore, AuditLog, type Principal } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import type { EntityManager } from 'typeorm';
import type { VideoSystemEntity } from './video-system.entity';

/** What issuing, rotating and revoking a video system's API key share: ownership and the audit. */
@Injectable()
export class ApiKeyChanges {
  constructor(
    private readonly apiKeys: ApiKeyStore,
    private readonly audit: AuditLog,
  ) {}

  /** Refuses a key of another system as a missing one. */
  async ensureOwnedBy(system: VideoSystemEntity, keyId: string): Promise<void> {
    const key = await this.apiKeys.get(keyId);
    if (!key || key.videoSystemId !== system.id)
      throw new NotFoundError(`no API key ${keyId} for this video system`);
  }

  record(
    manager: EntityManager,
    actor: Principal,
    action: 'create' | 'update' | 'erase',
    system: VideoSystemEntity,
    keyId: string,
    details: Record<string, unknown> = {},
  ) {
    return this.audit.record(manager, {
      actor,
      action,
      objectType: 'video-system-api-key',
      objectId: keyId,
      regionCode: system.regionCode,
      // Revoking a credential is its erasure; the record says why.
      ...(action === 'erase'
        ? { purpose: 'credential revocation', legalBasis: 'video system security policy' }
        : {}),
      details: { videoSystemId: system.id, ...details },
    });
  }
}
