import { almatyDate, almatyDayStart, dailyUptime } from './uptime';

const at = (iso: string) => new Date(iso);

describe('Almaty calendar days', () => {
  it('start at 19:00 UTC of the day before and reject impossible dates', () => {
    expect(new Date(almatyDayStart('2025-05-01')!).toISOString()).toBe('2025-04-30T19:00:00.000Z');
    expect(almatyDayStart('2025-02-29')).toBeNull();
    expect(almatyDayStart('2025-13-01')).toBeNull();
    expect(almatyDayStart('1 May 2025')).toBeNull();
    expect(almatyDate(at('2025-04-30T18:59:59.999Z'))).toBe('2025-04-30');
    expect(almatyDate(at('2025-04-30T19:00:00.000Z'))).toBe('2025-05-01');
  });
});

describe('dailyUptime', () => {
  // Almaty times: 1 May 08:00 online, 15:00 offline, 15:30 online, 23:30 offline (across midnight),
  // 2 May 00:45 online; "now" is 2 May 14:00.
  const transitions = [
    { at: at('2025-05-01T03:00:00Z'), status: 'online' as const },
    { at: at('2025-05-01T10:00:00Z'), status: 'offline' as const },
    { at: at('2025-05-01T10:30:00Z'), status: 'online' as const },
    { at: at('2025-05-01T18:30:00Z'), status: 'offline' as const },
    { at: at('2025-05-01T19:45:00Z'), status: 'online' as const },
  ];

  it('splits intervals at Almaty midnight, stops at now and leaves future days empty', () => {
    const days = dailyUptime({
      fromDate: '2025-04-30',
      days: 4,
      initial: 'unknown',
      transitions,
      now: at('2025-05-02T09:00:00Z'),
    });
    expect(days).toEqual([
      { date: '2025-04-30', onlineSeconds: 0, offlineSeconds: 0, unknownSeconds: 86_400, uptimeRatio: null },
      // unknown 8 h; online 7 h + 8 h; offline 30 min + 30 min before midnight.
      {
        date: '2025-05-01',
        onlineSeconds: 54_000,
        offlineSeconds: 3_600,
        unknownSeconds: 28_800,
        uptimeRatio: 0.9375,
      },
      // offline 00:00-00:45, online 00:45-14:00 (now).
      {
        date: '2025-05-02',
        onlineSeconds: 47_700,
        offlineSeconds: 2_700,
        unknownSeconds: 0,
        uptimeRatio: 0.9464,
      },
      { date: '2025-05-03', onlineSeconds: 0, offlineSeconds: 0, unknownSeconds: 0, uptimeRatio: null },
    ]);
  });

  it('starts from the status in force at the start of the range', () => {
    const [day] = dailyUptime({
      fromDate: '2025-05-05',
      days: 1,
      initial: 'offline',
      transitions: [{ at: at('2025-05-05T01:00:00Z'), status: 'online' }],
      now: at('2025-06-01T00:00:00Z'),
    });
    // 00:00-06:00 Almaty offline, then online.
    expect(day).toEqual({
      date: '2025-05-05',
      onlineSeconds: 64_800,
      offlineSeconds: 21_600,
      unknownSeconds: 0,
      uptimeRatio: 0.75,
    });
  });
});
