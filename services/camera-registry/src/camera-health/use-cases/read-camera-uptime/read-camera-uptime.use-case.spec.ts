import { OperationRefusedException } from '@safecity/security';
import { InvalidError, NotFoundError } from '@safecity/service-kit';
import {
  anAlmatyCamera,
  anAlmatyVideoSystem,
  startUseCaseHarness,
  type UseCaseHarness,
} from '../../../../test/use-case-harness';
import { ReadCameraUptimeUseCase } from './read-camera-uptime.use-case';

describe('ReadCameraUptimeUseCase', () => {
  let h: UseCaseHarness;
  let cameraId: string;
  const uptime = (range: { from?: string; to?: string }, actor = h.person('analyst')) =>
    h.get(ReadCameraUptimeUseCase).execute({ actor, cameraId, ...range });

  beforeAll(async () => {
    h = await startUseCaseHarness('ucuptime');
    const admin = h.person('region-admin');
    cameraId = (await anAlmatyCamera(h, admin, (await anAlmatyVideoSystem(h, admin)).id, 'up-1')).id;
  });
  afterAll(() => h.close());

  it('answers a day per Almaty calendar day of the range', async () => {
    const report = await uptime({ from: '2026-01-01', to: '2026-01-03' });
    expect(report).toMatchObject({
      cameraId,
      timeZone: 'Asia/Almaty (UTC+05:00)',
      from: '2026-01-01',
      to: '2026-01-03',
    });
    expect(report.days).toHaveLength(3);
    expect((await uptime({})).days).toHaveLength(7);
  });

  it('refuses a malformed or inverted range naming the field, and too long a one', async () => {
    await expect(uptime({ to: '2026-13-01' })).rejects.toEqual(
      new InvalidError(
        { field: 'to', reason: 'to must be a calendar date YYYY-MM-DD' },
        { malformed: true, message: 'to must be a calendar date YYYY-MM-DD' },
      ),
    );
    await expect(uptime({ from: '2026-01-05', to: '2026-01-01' })).rejects.toMatchObject({
      message: 'from must not be after to',
      problems: [{ field: 'from' }],
    });
    await expect(uptime({ from: '2025-01-01', to: '2026-01-01' })).rejects.toMatchObject({
      problems: [{ field: 'to' }],
    });
  });

  it('answers another region’s camera as not found and refuses services', async () => {
    await expect(uptime({}, h.person('analyst', ['AST']))).rejects.toBeInstanceOf(NotFoundError);
    await expect(uptime({}, h.person('service', 'all'))).rejects.toBeInstanceOf(OperationRefusedException);
  });
});
