import { randomUUID } from 'node:crypto';
import { EventTypes, Topics } from '@safecity/contracts';
import { CeHeader } from '@safecity/messaging';
import { OperationRefusedException } from '@safecity/security';
import { InvalidError } from '@safecity/service-kit';
import { eventually } from '@safecity/testing';
import { startUseCaseHarness, type UseCaseHarness } from '../../../../test/use-case-harness';
import type { CitizenReportDto } from '../../citizen-report.dto';
import { CitizenFloodError } from '../../citizen-report-status';
import { SubmitCitizenReportUseCase } from './submit-citizen-report.use-case';

describe('SubmitCitizenReportUseCase', () => {
  let h: UseCaseHarness;
  const channel = () => h.person('service', ['ALA'], 'channel-zan');
  const report = (over: Partial<CitizenReportDto> = {}): CitizenReportDto => ({
    channel: 'bank-app',
    channelReportId: randomUUID(),
    category: 'theft',
    text: 'My bag was taken at the bus stop',
    location: { lat: 43.24, lon: 76.91 },
    regionCode: 'ALA',
    time: new Date().toISOString(),
    ...over,
  });
  const submit = (dto: CitizenReportDto, actor = channel()) =>
    h.get(SubmitCitizenReportUseCase).execute({ actor, report: dto });

  beforeAll(async () => {
    h = await startUseCaseHarness('ucsubmitrep', { citizenFlood: { burst: 2, perMinute: 1 } });
  });
  afterAll(() => h.close());

  it('acknowledges the report, opens its incident, publishes and audits it; a re-post gets the same acknowledgement', async () => {
    const dto = report();
    const taken = await submit(dto);
    expect(taken.acknowledgement).toMatchObject({ status: 'incident-opened', duplicate: false });
    expect(taken.incidentId).not.toBeNull();
    const record = await eventually(() =>
      h.published.find((r) => r.topic === Topics.CitizenReports && r.key === taken.reportId),
    );
    expect(record.headers[CeHeader.Type]).toBe(EventTypes.CitizenReportSubmitted);
    const audit = await h.query(`SELECT action, object_type AS "type" FROM audit_log WHERE object_id = $1`, [
      taken.reportId,
    ]);
    expect(audit).toEqual([{ action: 'create', type: 'citizen-report' }]);
    const again = await submit(dto);
    expect(again.acknowledgement).toEqual({ ...taken.acknowledgement, duplicate: true });
  });

  it('refuses another region, and a contact without consent, as invalid', async () => {
    await expect(submit(report({ regionCode: 'AST' }))).rejects.toMatchObject({
      problems: [{ field: 'regionCode' }],
    });
    const contact = submit(report({ contact: '+7 700 000 00 00' }));
    await expect(contact).rejects.toBeInstanceOf(InvalidError);
    await expect(contact).rejects.toMatchObject({ problems: [{ field: 'contact' }] });
  });

  it('refuses a citizen id that floods, with the time to wait', async () => {
    const citizenId = randomUUID();
    await submit(report({ citizenId }));
    await submit(report({ citizenId }));
    const flood = submit(report({ citizenId }));
    await expect(flood).rejects.toBeInstanceOf(CitizenFloodError);
    await expect(flood).rejects.toMatchObject({ retryAfterSeconds: expect.any(Number) });
  });

  it('is refused to roles that take no reports', async () => {
    await expect(submit(report(), h.person('analyst'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
