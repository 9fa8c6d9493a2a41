import type { Analysis, BodyFinding, Keypoint, ObjectFinding } from '@safecity/vision';
import { FallDetector, torsoOf } from './falls';
import { SceneAnalytics, type AnalyticsFeature, type Zone } from './scene-analytics';
import { IouTracker } from './tracker';

const W = 640;
const H = 480;
const IMAGE = { width: W, height: H, data: new Uint8Array(0) };

const person = (x: number, y: number, w = 60, h = 160, score = 0.8): ObjectFinding => ({
  label: 'person',
  score,
  box: { x, y, width: w, height: h },
});

const analysis = (objects: ObjectFinding[], bodies: BodyFinding[] = []): Analysis => ({
  width: W,
  height: H,
  faces: [],
  objects,
  bodies,
  inferenceMs: 0,
});

/** The lower half of the frame. */
const LOWER: Zone['polygon'] = [
  { x: 0, y: 0.5 },
  { x: 1, y: 0.5 },
  { x: 1, y: 1 },
  { x: 0, y: 1 },
];

const zone = (extra: Partial<Zone>): Zone => ({
  name: 'platform',
  polygon: LOWER,
  loiterSeconds: 0,
  intrusion: false,
  crowdThreshold: 0,
  countVehicles: false,
  ...extra,
});

const scene = (features: AnalyticsFeature[], zones: Zone[]) =>
  new SceneAnalytics('cam-1', 's1', { features: new Set(features), zones });

describe('IouTracker', () => {
  it('keeps one track for a person walking between frames, even without overlap at low frame rates', () => {
    const tracker = new IouTracker({ minIou: 0.2, maxUnseenMs: 3_000 });
    const a = tracker.update([{ box: { x: 0.1, y: 0.5, width: 0.1, height: 0.3 }, score: 0.9 }], 0);
    const b = tracker.update([{ box: { x: 0.18, y: 0.5, width: 0.1, height: 0.3 }, score: 0.9 }], 1_000);
    expect(b[0].id).toBe(a[0].id);
    expect(b[0].hits).toBe(2);
    const far = tracker.update([{ box: { x: 0.8, y: 0.1, width: 0.1, height: 0.3 }, score: 0.9 }], 2_000);
    expect(far[0].id).not.toBe(a[0].id);
    tracker.update([], 6_000);
    expect(tracker.alive).toHaveLength(0);
  });
});

describe('SceneAnalytics', () => {
  it('reports loitering once, when a person has stood in the zone past its time', () => {
    const s = scene(['loitering'], [zone({ loiterSeconds: 5 })]);
    const seen = [0, 1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000].flatMap((t) =>
      s.observe(IMAGE, analysis([person(300, 250)]), t),
    );
    expect(seen).toEqual([
      expect.objectContaining({
        kind: 'behaviour',
        behaviour: 'loitering',
        ruleName: 'platform',
        dwellSeconds: 5,
      }),
    ]);
  });

  it('does not count someone standing outside the zone, whose box only reaches into it', () => {
    const s = scene(['loitering', 'intrusion'], [zone({ loiterSeconds: 1, intrusion: true })]);
    // Feet at y = 200/480, above the zone's top edge at 0.5.
    const seen = [0, 1_000, 2_000, 3_000].flatMap((t) =>
      s.observe(IMAGE, analysis([person(300, 40, 60, 160)]), t),
    );
    expect(seen).toEqual([]);
  });

  it('reports an intrusion once per person, after two frames', () => {
    const s = scene(['intrusion'], [zone({ intrusion: true })]);
    expect(s.observe(IMAGE, analysis([person(300, 250)]), 0)).toEqual([]);
    expect(s.observe(IMAGE, analysis([person(305, 250)]), 500)).toEqual([
      expect.objectContaining({ behaviour: 'intrusion', objectCount: 1 }),
    ]);
    expect(s.observe(IMAGE, analysis([person(310, 250)]), 1_000)).toEqual([]);
  });

  it('counts people (and vehicles where asked) in a zone into one crowd detection per episode', () => {
    const s = scene(['objects'], [zone({ crowdThreshold: 3, countVehicles: true })]);
    const car: ObjectFinding = { label: 'car', score: 0.9, box: { x: 400, y: 300, width: 150, height: 100 } };
    expect(s.observe(IMAGE, analysis([person(10, 250), person(100, 250)]), 0)).toEqual([]);
    const crowd = s.observe(IMAGE, analysis([person(10, 250), person(100, 250), car]), 1_000);
    expect(crowd).toEqual([expect.objectContaining({ behaviour: 'crowd', objectCount: 3 })]);
    expect(s.observe(IMAGE, analysis([person(10, 250), person(100, 250), car]), 2_000)).toEqual([]);
    s.observe(IMAGE, analysis([]), 3_000);
    s.observe(IMAGE, analysis([]), 14_000);
    expect(s.observe(IMAGE, analysis([person(10, 250), person(100, 250), car]), 15_000)).toHaveLength(1);
  });
});

/** Standing keypoints (pixels), turned about the feet by `deg` and lowered by `drop` pixels. */
function body(deg: number, drop = 0): Keypoint[] {
  const standing: Keypoint[] = [
    { part: 'leftShoulder', x: 330, y: 150, score: 0.8 },
    { part: 'rightShoulder', x: 290, y: 150, score: 0.8 },
    { part: 'leftHip', x: 325, y: 260, score: 0.8 },
    { part: 'rightHip', x: 295, y: 260, score: 0.8 },
  ];
  const a = (deg * Math.PI) / 180;
  const foot = { x: 310, y: 400 };
  return standing.map((k) => {
    const dx = k.x - foot.x;
    const dy = k.y - foot.y;
    return {
      ...k,
      x: foot.x + dx * Math.cos(a) - dy * Math.sin(a),
      y: foot.y + dx * Math.sin(a) + dy * Math.cos(a) + drop,
    };
  });
}

describe('FallDetector', () => {
  it('measures the torso from hips to shoulders', () => {
    expect(torsoOf(body(0), 0.3)!.angle).toBeCloseTo(0, 0);
    expect(torsoOf(body(90), 0.3)!.angle).toBeCloseTo(90, 0);
  });

  it('reports a fast drop to horizontal that stays down, once', () => {
    const d = new FallDetector();
    const frames: [number, Keypoint[]][] = [
      [0, body(0)],
      [500, body(0)],
      [1_000, body(45)],
      [1_500, body(85)],
      [2_500, body(88)],
      [3_600, body(88)],
      [4_500, body(88)],
    ];
    const events = frames.map(([t, k]) => d.update(k, t)).filter(Boolean);
    expect(events).toEqual([expect.objectContaining({ atMs: 1_500 })]);
  });

  it('does not report lying down slowly, or getting up again before the time', () => {
    const slow = new FallDetector();
    const slowFrames = [0, 10, 20, 30, 40, 50, 60, 70, 80, 85, 88, 88, 88].map((deg, i) =>
      slow.update(body(deg), i * 1_000),
    );
    expect(slowFrames.filter(Boolean)).toEqual([]);
    const quick = new FallDetector();
    const up = [body(0), body(85), body(0), body(0)].map((k, i) => quick.update(k, i * 1_000));
    expect(up.filter(Boolean)).toEqual([]);
  });
});
