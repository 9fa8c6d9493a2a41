import { OperationRefusedException } from '@safecity/security';
import { NotFoundError } from '@safecity/service-kit';
import {
  anAlmatyVideoSystem,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { IssueApiKeyUseCase } from '../issue-api-key/issue-api-key.use-case';
import { RevokeApiKeyUseCase } from '../revoke-api-key/revoke-api-key.use-case';
import { RotateApiKeyUseCase } from './rotate-api-key.use-case';

describe('RotateApiKeyUseCase', () => {
  let h: UseCaseHarness;
  let systemId: string;
  let otherSystemId: string;

  beforeAll(async () => {
    h = await startUseCaseHarness('ucrotatekey');
    systemId = (await anAlmatyVideoSystem(h, h.person('region-admin'))).id;
    otherSystemId = (await anAlmatyVideoSystem(h, h.person('region-admin'))).id;
  });
  afterAll(() => h.close());

  const issue = (videoSystemId = systemId) =>
    h.get(IssueApiKeyUseCase).execute({ actor: h.person('region-admin'), videoSystemId });
  const rotate = (keyId: string, actor = h.person('region-admin'), videoSystemId = systemId) =>
    h.get(RotateApiKeyUseCase).execute({ actor, videoSystemId, keyId, overlapHours: 0 });

  it('issues a replacement and audits the rotation naming it', async () => {
    const { keyId } = await issue();
    const rotated = await rotate(keyId);
    expect(rotated.replacement.keyId).not.toBe(keyId);
    const [audit] = await h.query<{ details: Record<string, string> }>(
      `SELECT details FROM audit_log WHERE object_id = $1 AND action = 'update'`,
      [keyId],
    );
    expect(audit.details['rotatedTo']).toBe(rotated.replacement.keyId);
  });

  it('answers a key of another system, or one revoked, as not found', async () => {
    const other = await issue(otherSystemId);
    await expect(rotate(other.keyId)).rejects.toEqual(
      new NotFoundError(`no API key ${other.keyId} for this video system`),
    );
    const { keyId } = await issue();
    await h
      .get(RevokeApiKeyUseCase)
      .execute({ actor: h.person('region-admin'), videoSystemId: systemId, keyId });
    await expect(rotate(keyId)).rejects.toEqual(new NotFoundError(`no active API key ${keyId}`));
  });

  it('is refused to roles its policy does not name', async () => {
    const { keyId } = await issue();
    await expect(rotate(keyId, h.person('operator'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
