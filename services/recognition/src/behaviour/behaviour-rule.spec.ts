import { recognition } from '@safecity/contracts';
import { contains, inSchedule, judge, localTime, strongest, type BehaviourRule } from './behaviour-rule';

const rule = (extra: Partial<BehaviourRule> = {}): BehaviourRule => ({
  id: 'r1',
  cameraId: 'c1',
  regionCode: 'ALA',
  behaviour: 'intrusion',
  minConfidence: 0.6,
  schedule: [],
  timeZone: 'Asia/Almaty',
  zone: null,
  severity: 'high',
  enabled: true,
  version: 1,
  createdBy: 'x',
  createdAt: new Date('2026-01-01'),
  updatedAt: new Date('2026-01-01'),
  ...extra,
});
const intrusion = (confidence = 0.9) =>
  recognition.BehaviourObservation.fromPartial({
    type: recognition.BehaviourType.BEHAVIOUR_TYPE_INTRUSION,
    confidence,
  });
// Wednesday 25 November 2026, 23:30 in Almaty (UTC+5).
const wednesdayNight = new Date('2026-11-25T18:30:00Z');

describe('behaviour rules', () => {
  it('reads the camera local time', () => {
    expect(localTime('Asia/Almaty', wednesdayNight)).toEqual({ day: 3, minute: 23 * 60 + 30 });
    expect(localTime('UTC', wednesdayNight)).toEqual({ day: 3, minute: 18 * 60 + 30 });
  });

  it('fires on its behaviour above the minimum confidence only', () => {
    expect(judge(rule(), intrusion(), wednesdayNight, null)).toBe('fires');
    expect(judge(rule(), intrusion(0.5), wednesdayNight, null)).toBe('low-confidence');
    expect(judge(rule({ behaviour: 'fight' }), intrusion(), wednesdayNight, null)).toBe('other-behaviour');
    expect(judge(rule({ enabled: false }), intrusion(), wednesdayNight, null)).toBe('disabled');
  });

  it('keeps to its schedule, across midnight into the next day', () => {
    const nights = [{ days: [3], from: '22:00', to: '06:00' }];
    expect(inSchedule(nights, 'Asia/Almaty', wednesdayNight)).toBe(true);
    // Thursday 05:59 local belongs to Wednesday's night; Thursday 22:30 does not.
    expect(inSchedule(nights, 'Asia/Almaty', new Date('2026-11-26T00:59:00Z'))).toBe(true);
    expect(inSchedule(nights, 'Asia/Almaty', new Date('2026-11-26T01:00:00Z'))).toBe(false);
    expect(inSchedule(nights, 'Asia/Almaty', new Date('2026-11-26T17:30:00Z'))).toBe(false);
    // The same instant is 18:30 in UTC: outside the window for a camera on UTC.
    expect(inSchedule(nights, 'UTC', wednesdayNight)).toBe(false);
    const office = [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }];
    expect(judge(rule({ schedule: office }), intrusion(), wednesdayNight, null)).toBe('off-schedule');
  });

  it('tests people by where they stand and fire by any overlap with the zone', () => {
    const yard = [
      { x: 0.5, y: 0.5 },
      { x: 1, y: 0.5 },
      { x: 1, y: 1 },
      { x: 0.5, y: 1 },
    ];
    expect(contains(yard, { x: 0.7, y: 0.7 })).toBe(true);
    expect(contains(yard, { x: 0.2, y: 0.7 })).toBe(false);
    const standingInside = { x: 0.6, y: 0.4, width: 0.1, height: 0.3 };
    const reachingOver = { x: 0.3, y: 0.5, width: 0.25, height: 0.4 };
    expect(judge(rule({ zone: yard }), intrusion(), wednesdayNight, standingInside)).toBe('fires');
    expect(judge(rule({ zone: yard }), intrusion(), wednesdayNight, reachingOver)).toBe('outside-zone');
    expect(judge(rule({ zone: yard }), intrusion(), wednesdayNight, null)).toBe('no-frame-box');
    const smoke = recognition.BehaviourObservation.fromPartial({
      type: recognition.BehaviourType.BEHAVIOUR_TYPE_FIRE_SMOKE,
      confidence: 0.9,
    });
    expect(judge(rule({ zone: yard, behaviour: 'fire-smoke' }), smoke, wednesdayNight, reachingOver)).toBe(
      'fires',
    );
    const farAway = { x: 0, y: 0, width: 0.1, height: 0.1 };
    expect(judge(rule({ zone: yard, behaviour: 'fire-smoke' }), smoke, wednesdayNight, farAway)).toBe(
      'outside-zone',
    );
  });

  it('lets the most severe passing rule speak for a detection', () => {
    const low = rule({ id: 'a', severity: 'low' });
    const critical = rule({ id: 'b', severity: 'critical' });
    expect(strongest([low, critical])?.id).toBe('b');
    expect(strongest([])).toBeUndefined();
  });
});
