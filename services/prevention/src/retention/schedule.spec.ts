import { UnitOfWork } from '@safecity/persistence';
import { AuditLog, RegionAccess, RetentionJob } from '@safecity/security';
import { DataSource } from 'typeorm';
import { SubjectErasureJob } from './subject-erasure.job';

// The data source is never connected: nothing here may run, only be (or not be) scheduled.
const unit = new UnitOfWork(new DataSource({ type: 'postgres' }));
const auditLog = new AuditLog({ schema: 'prevention' });
const retentionOptions = {
  schema: 'prevention',
  auditLog,
  policies: [
    {
      dataClass: 'incident-places',
      table: 'incidents',
      timestampColumn: 'occurred_at',
      retainFor: { days: 1096 },
      legalBasis: 'forecasts',
    },
  ],
};

describe('scheduling of retention and erasure', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('the subject erasure job schedules its runs by default', async () => {
    const job = new SubjectErasureJob(new RegionAccess(unit), auditLog, { retentionDays: 30 });
    job.onApplicationBootstrap();
    expect(jest.getTimerCount()).toBe(1);
    await job.onApplicationShutdown();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('the subject erasure job, unscheduled, sets no timer at all', () => {
    const job = new SubjectErasureJob(new RegionAccess(unit), auditLog, {
      retentionDays: 30,
      scheduled: false,
    });
    job.onApplicationBootstrap();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('the retention job schedules its runs by default', async () => {
    const job = new RetentionJob(unit, retentionOptions);
    job.onApplicationBootstrap();
    expect(jest.getTimerCount()).toBe(1);
    await job.onApplicationShutdown();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('the retention job, unscheduled, sets no timer at all', () => {
    new RetentionJob(unit, { ...retentionOptions, scheduled: false }).onApplicationBootstrap();
    expect(jest.getTimerCount()).toBe(0);
  });
});
