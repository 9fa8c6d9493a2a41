import { ApiKeyStore, OperationRefusedException } from '@safecity/security';
import { randomUUID } from 'node:crypto';
import { startUseCaseHarness, type UseCaseHarness } from '../../../../test/use-case-harness';
import { ListIngestKeysUseCase } from './list-ingest-keys.use-case';

describe('ListIngestKeysUseCase', () => {
  let h: UseCaseHarness;
  const videoSystemId = randomUUID();
  let keyId: string;
  beforeAll(async () => {
    h = await startUseCaseHarness('uclstkey');
    keyId = (await h.get(ApiKeyStore).issue({ videoSystemId, regionCode: 'ALA', label: 'NVR' })).keyId;
  });
  afterAll(() => h.close());

  it('lists the system’s keys in the caller’s regions, without their secrets', async () => {
    const keys = await h
      .get(ListIngestKeysUseCase)
      .execute({ actor: h.person('region-admin'), videoSystemId });
    expect(keys.map((k) => k.keyId)).toEqual([keyId]);
    expect(JSON.stringify(keys)).not.toMatch(/apiKey|secret/);
    expect(
      await h.get(ListIngestKeysUseCase).execute({ actor: h.person('region-admin', ['AST']), videoSystemId }),
    ).toEqual([]);
  });

  it('is refused to supervisors', async () => {
    await expect(
      h.get(ListIngestKeysUseCase).execute({ actor: h.person('supervisor'), videoSystemId }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
