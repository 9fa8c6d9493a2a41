import { randomUUID } from 'node:crypto';
import { NotFoundError } from '@safecity/service-kit';
import { startUseCaseHarness, type UseCaseHarness } from '../../../../test/use-case-harness';
import { TransitionIncidentUseCase } from '../../../incidents/use-cases';
import { SubmitCitizenReportUseCase } from '../submit-citizen-report/submit-citizen-report.use-case';
import { CITIZEN } from './read-citizen-report-status.command';
import { ReadCitizenReportStatusUseCase } from './read-citizen-report-status.use-case';

describe('ReadCitizenReportStatusUseCase', () => {
  let h: UseCaseHarness;
  beforeAll(async () => {
    h = await startUseCaseHarness('ucrepstatus');
  });
  afterAll(() => h.close());

  it('tells the citizen, signed in nowhere, how far their report has come and nothing else', async () => {
    const taken = await h.get(SubmitCitizenReportUseCase).execute({
      actor: h.person('operator'),
      report: {
        channel: 'hotline',
        channelReportId: randomUUID(),
        category: 'theft',
        text: 'Car broken into',
        location: { lat: 43.24, lon: 76.91 },
        regionCode: 'ALA',
        time: new Date().toISOString(),
      },
    });
    const read = () =>
      h.get(ReadCitizenReportStatusUseCase).execute({
        actor: CITIZEN,
        acknowledgementId: taken.acknowledgement.acknowledgementId,
      });
    const before = await read();
    expect(Object.keys(before).sort()).toEqual(['acknowledgementId', 'receivedAt', 'status', 'updatedAt']);
    expect(before.status).toBe('incident-opened');
    await h.get(TransitionIncidentUseCase).execute({
      actor: h.person('operator'),
      id: taken.incidentId!,
      step: { to: 'verified' },
    });
    const after = await read();
    expect(after.status).toBe('in-progress');
    expect(Date.parse(after.updatedAt)).toBeGreaterThanOrEqual(Date.parse(before.updatedAt));
  });

  it('answers an unknown acknowledgement id as not found', async () => {
    await expect(
      h.get(ReadCitizenReportStatusUseCase).execute({ actor: CITIZEN, acknowledgementId: 'ACK-unknown' }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
