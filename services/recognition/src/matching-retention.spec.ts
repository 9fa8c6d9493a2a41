import { UnitOfWork } from '@safecity/persistence';
import { AuditLog, RetentionJob } from '@safecity/security';
import { DataSource } from 'typeorm';
import { matchingRetention, type MatchingOptions } from './matching.module';
import { RECOGNITION_SCHEMA } from './schema';

describe('matching retention job', () => {
  // Never connected: scheduling alone is under test, and no run is due within it.
  const dataSource = new DataSource({ type: 'postgres', url: 'postgres://unused@127.0.0.1:1/unused' });
  const auditLog = new AuditLog({ schema: RECOGNITION_SCHEMA });

  // As the service's accountability module builds it.
  const matchingRetentionJob = (options: MatchingOptions) =>
    new RetentionJob(new UnitOfWork(dataSource), {
      ...matchingRetention(options),
      schema: RECOGNITION_SCHEMA,
      auditLog,
    });

  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('schedules its runs when the application starts, by default', async () => {
    const job = matchingRetentionJob({});
    job.onApplicationBootstrap();
    expect(jest.getTimerCount()).toBe(1);
    await job.stop();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('schedules nothing when runs are left to explicit calls', async () => {
    const job = matchingRetentionJob({ scheduleRetention: false });
    job.onApplicationBootstrap();
    expect(jest.getTimerCount()).toBe(0);
    await job.stop();
  });
});
