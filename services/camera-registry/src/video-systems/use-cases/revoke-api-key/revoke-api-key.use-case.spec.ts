import { ApiKeyStore, OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import {
  anAlmatyVideoSystem,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { IssueApiKeyUseCase } from '../issue-api-key/issue-api-key.use-case';
import { RevokeApiKeyUseCase } from './revoke-api-key.use-case';

describe('RevokeApiKeyUseCase', () => {
  let h: UseCaseHarness;
  let systemId: string;

  beforeAll(async () => {
    h = await startUseCaseHarness('ucrevokekey');
    systemId = (await anAlmatyVideoSystem(h, h.person('region-admin'))).id;
  });
  afterAll(() => h.close());

  const revoke = (keyId: string, actor = h.person('region-admin')) =>
    h.get(RevokeApiKeyUseCase).execute({ actor, videoSystemId: systemId, keyId });

  it('ends the key at once and records its erasure with the reason', async () => {
    const issued = await h
      .get(IssueApiKeyUseCase)
      .execute({ actor: h.person('region-admin'), videoSystemId: systemId });
    await revoke(issued.keyId);
    expect(await h.get(ApiKeyStore).get(issued.keyId)).toMatchObject({ active: false });
    const audit = await h.query(`SELECT purpose FROM audit_log WHERE object_id = $1 AND action = 'erase'`, [
      issued.keyId,
    ]);
    expect(audit).toEqual([{ purpose: 'credential revocation' }]);
    await expect(revoke(issued.keyId)).rejects.toEqual(
      new NotFoundError(`no active API key ${issued.keyId}`),
    );
  });

  it('is refused to roles its policy does not name', async () => {
    await expect(revoke('k', h.person('analyst'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
