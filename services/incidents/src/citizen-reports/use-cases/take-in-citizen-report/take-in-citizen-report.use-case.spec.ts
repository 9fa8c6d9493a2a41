import { randomUUID } from 'node:crypto';
import { Topics } from '@safecity/contracts';
import { OperationRefusedException } from '@safecity/security';
import { BUS_PRODUCER, startUseCaseHarness, type UseCaseHarness } from '../../../../test/use-case-harness';
import type { CitizenReportDto } from '../../citizen-report.dto';
import { TakeInCitizenReportUseCase } from './take-in-citizen-report.use-case';

describe('TakeInCitizenReportUseCase', () => {
  let h: UseCaseHarness;
  const report = (): CitizenReportDto => ({
    channel: 'egov',
    channelReportId: randomUUID(),
    category: 'domestic',
    text: 'Shouting next door',
    location: { lat: 43.21, lon: 76.88 },
    regionCode: 'ALA',
    time: new Date().toISOString(),
  });

  beforeAll(async () => {
    h = await startUseCaseHarness('uctakeinrep');
  });
  afterAll(() => h.close());

  it('takes a gateway’s report in once under the gateway’s id, without publishing it again', async () => {
    const reportId = randomUUID();
    const command = {
      actor: BUS_PRODUCER,
      event: { id: randomUUID(), topic: Topics.CitizenReports },
      reportId,
      report: report(),
    };
    const taken = await h.get(TakeInCitizenReportUseCase).execute(command);
    expect(taken).toMatchObject({ reportId, acknowledgement: { duplicate: false } });
    expect(taken!.incidentId).not.toBeNull();
    // The same event again: the inbox knows it, nothing happens.
    expect(await h.get(TakeInCitizenReportUseCase).execute(command)).toBeNull();
    expect(await h.query(`SELECT count(*)::int AS n FROM citizen_reports WHERE id = $1`, [reportId])).toEqual(
      [{ n: 1 }],
    );
    expect(
      await h.query(`SELECT count(*)::int AS n FROM audit_log WHERE object_id = $1`, [reportId]),
    ).toEqual([{ n: 1 }]);
    expect(h.published.filter((r) => r.topic === Topics.CitizenReports)).toEqual([]);
  });

  it('is refused to anyone but a platform service', async () => {
    await expect(
      h.get(TakeInCitizenReportUseCase).execute({
        actor: h.person('operator'),
        event: { id: randomUUID(), topic: Topics.CitizenReports },
        reportId: randomUUID(),
        report: report(),
      }),
    ).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
