import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import {
  anAlmatyVideoSystem,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { IssueApiKeyUseCase } from '../issue-api-key/issue-api-key.use-case';
import { ListApiKeysUseCase } from './list-api-keys.use-case';

describe('ListApiKeysUseCase', () => {
  let h: UseCaseHarness;
  let systemId: string;

  beforeAll(async () => {
    h = await startUseCaseHarness('uclistkeys');
    systemId = (await anAlmatyVideoSystem(h, h.person('region-admin'))).id;
  });
  afterAll(() => h.close());

  it('lists the system’s keys without their secrets', async () => {
    const admin = h.person('region-admin');
    const issued = await h.get(IssueApiKeyUseCase).execute({ actor: admin, videoSystemId: systemId });
    const keys = await h.get(ListApiKeysUseCase).execute({ actor: admin, videoSystemId: systemId });
    expect(keys.map((k) => k.keyId)).toEqual([issued.keyId]);
    expect(JSON.stringify(keys)).not.toContain(issued.apiKey);
  });

  it('answers another region’s system as not found, and refuses readers', async () => {
    const list = (actor: ReturnType<UseCaseHarness['person']>) =>
      h.get(ListApiKeysUseCase).execute({ actor, videoSystemId: systemId });
    await expect(list(h.person('region-admin', ['AST']))).rejects.toBeInstanceOf(NotFoundError);
    await expect(list(h.person('supervisor'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
