import { OperationRefusedException } from '@safecity/security';
import { UnavailableError } from '@safecity/service-kit';
import { randomUUID } from 'node:crypto';
import { startUseCaseHarness, type UseCaseHarness } from '../../../../test/use-case-harness';
import { IssueIngestKeyUseCase } from './issue-ingest-key.use-case';

// Issuing asks camera-registry for the system; with it down, nothing is issued. The happy path,
// with camera-registry running, is covered by all-in-one's recognition-camera-registry suite.
describe('IssueIngestKeyUseCase', () => {
  let h: UseCaseHarness;
  beforeAll(async () => (h = await startUseCaseHarness('ucisskey')));
  afterAll(() => h.close());

  it('issues nothing and asks to retry when camera-registry cannot be asked about the system', async () => {
    const issue = h
      .get(IssueIngestKeyUseCase)
      .execute({ actor: h.person('region-admin'), videoSystemId: randomUUID(), key: { label: 'NVR' } });
    await expect(issue).rejects.toBeInstanceOf(UnavailableError);
    expect(await h.query(`SELECT 1 FROM audit_log WHERE object_type = 'video-system-ingest-key'`)).toEqual(
      [],
    );
  });

  it('is refused to operators', async () => {
    await expect(
      h
        .get(IssueIngestKeyUseCase)
        .execute({ actor: h.person('operator'), videoSystemId: randomUUID(), key: {} }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
