import { randomUUID } from 'node:crypto';
import { ApiKeyStore, OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import {
  anAlmatyVideoSystem,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { IssueApiKeyUseCase } from './issue-api-key.use-case';

describe('IssueApiKeyUseCase', () => {
  let h: UseCaseHarness;
  let systemId: string;

  beforeAll(async () => {
    h = await startUseCaseHarness('ucissuekey');
    systemId = (await anAlmatyVideoSystem(h, h.person('region-admin'))).id;
  });
  afterAll(() => h.close());

  it('issues a key of the system’s region that authenticates, and audits it without the secret', async () => {
    const issued = await h
      .get(IssueApiKeyUseCase)
      .execute({ actor: h.person('region-admin'), videoSystemId: systemId, label: 'primary' });
    const key = await h.get(ApiKeyStore).get(issued.keyId);
    expect(key).toMatchObject({ videoSystemId: systemId, regionCode: 'ALA', label: 'primary' });
    const audit = await h.query<{ action: string; details: object }>(
      `SELECT action, details FROM audit_log WHERE object_id = $1`,
      [issued.keyId],
    );
    expect(audit).toEqual([{ action: 'create', details: { videoSystemId: systemId } }]);
  });

  it('answers a system of another region as not found, and refuses operators', async () => {
    const issue = (actor = h.person('region-admin', ['AST']), videoSystemId = systemId) =>
      h.get(IssueApiKeyUseCase).execute({ actor, videoSystemId });
    await expect(issue()).rejects.toBeInstanceOf(NotFoundError);
    await expect(issue(h.person('region-admin'), randomUUID())).rejects.toBeInstanceOf(NotFoundError);
    await expect(issue(h.person('operator'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
