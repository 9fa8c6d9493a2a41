import { ApiKeyStore, OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import { randomUUID } from 'node:crypto';
import { startUseCaseHarness, type UseCaseHarness } from '../../../../test/use-case-harness';
import { RevokeIngestKeyUseCase } from './revoke-ingest-key.use-case';

describe('RevokeIngestKeyUseCase', () => {
  let h: UseCaseHarness;
  const videoSystemId = randomUUID();
  beforeAll(async () => (h = await startUseCaseHarness('ucrvkkey')));
  afterAll(() => h.close());

  it('revokes the key at once and audits the revocation', async () => {
    const issued = await h.get(ApiKeyStore).issue({ videoSystemId, regionCode: 'ALA' });
    const actor = h.person('region-admin');
    await h.get(RevokeIngestKeyUseCase).execute({ actor, videoSystemId, keyId: issued.keyId });
    expect(await h.get(ApiKeyStore).verify(issued.apiKey)).toBeFalsy();
    expect(
      await h.query(`SELECT action, actor_subject, purpose FROM audit_log WHERE object_id = $1`, [
        issued.keyId,
      ]),
    ).toEqual([{ action: 'erase', actor_subject: actor.subject, purpose: 'credential revocation' }]);
    await expect(
      h.get(RevokeIngestKeyUseCase).execute({ actor, videoSystemId, keyId: issued.keyId }),
    ).rejects.toEqual(new NotFoundError(`no active API key ${issued.keyId}`));
  });

  it('answers another region’s or another system’s key as not found, and refuses operators', async () => {
    const { keyId } = await h.get(ApiKeyStore).issue({ videoSystemId, regionCode: 'ALA' });
    const revoke = (actor: ReturnType<UseCaseHarness['person']>, system = videoSystemId) =>
      h.get(RevokeIngestKeyUseCase).execute({ actor, videoSystemId: system, keyId });
    await expect(revoke(h.person('region-admin', ['AST']))).rejects.toBeInstanceOf(NotFoundError);
    await expect(revoke(h.person('region-admin'), randomUUID())).rejects.toBeInstanceOf(NotFoundError);
    await expect(revoke(h.person('operator'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
