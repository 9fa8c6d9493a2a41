import { OperationRefusedException } from '@safecity/security';
import { InvalidError, NotFoundError } from '@safecity/service-kit';
import { startUseCaseHarness, type UseCaseHarness } from '../../../../test/use-case-harness';
import { PublishNationalSopUseCase } from './publish-national-sop.use-case';

describe('PublishNationalSopUseCase', () => {
  let h: UseCaseHarness;
  const steps = [
    { id: 'call', title: 'Call the reporter back' },
    { id: 'send', title: 'Send a patrol' },
  ];
  const publish = (actor = h.person('supervisor', 'all', 'sup-national'), category = 'theft', list = steps) =>
    h.get(PublishNationalSopUseCase).execute({ actor, category, checklist: { steps: list } });

  beforeAll(async () => {
    h = await startUseCaseHarness('ucpubnatsop');
  });
  afterAll(() => h.close());

  it('publishes the next national version and audits who did', async () => {
    const first = await publish();
    const second = await publish();
    expect(first).toMatchObject({
      category: 'theft',
      regionCode: null,
      version: 1,
      editedBy: 'sup-national',
    });
    expect(second.version).toBe(2);
    const audit = await h.query<{ details: { scope: string; version: number } }>(
      `SELECT details FROM audit_log WHERE object_type = 'sop' ORDER BY seq`,
    );
    expect(audit.map((a) => [a.details.scope, a.details.version])).toEqual([
      ['national', 1],
      ['national', 2],
    ]);
  });

  it('refuses repeated step ids as invalid and an unknown category as missing', async () => {
    await expect(publish(undefined, 'theft', [steps[0], steps[0]])).rejects.toEqual(
      new InvalidError({ field: 'steps', reason: 'step ids must be unique' }),
    );
    await expect(publish(undefined, 'no-such-category')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('is refused to a supervisor of one region: the national checklist is every region’s', async () => {
    await expect(publish(h.person('supervisor', ['ALA']))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
