import type { Keypoint } from '@safecity/vision';

export interface FallSettings {
  /** Torso at most this far from vertical is upright, degrees. */
  uprightDeg: number;
  /** Torso at least this far from vertical is down, degrees. */
  downDeg: number;
  /** The turn from upright to down must take at most this long: a fall, not lying down. */
  dropWithinMs: number;
  /** The shoulders must come down by at least this share of the upright torso's length. */
  minDropOfTorso: number;
  /** And stay down this long before it is a fall. */
  stayDownMs: number;
  /** Keypoints scored below this are not used. */
  minKeypointScore: number;
}

export const FALL_SETTINGS: FallSettings = {
  uprightDeg: 35,
  downDeg: 60,
  // Three seconds: at one frame a second, with a late frame, the fall still lies between two.
  dropWithinMs: 3_000,
  minDropOfTorso: 0.5,
  stayDownMs: 2_000,
  minKeypointScore: 0.3,
};

export interface Torso {
  /** Degrees from vertical, 0..90. */
  angle: number;
  shoulders: { x: number; y: number };
  length: number;
}

/** The torso of a body: from the middle of its hips to the middle of its shoulders (pixels). */
export function torsoOf(keypoints: readonly Keypoint[], minScore: number): Torso | null {
  const mid = (parts: string[]) => {
    const found = keypoints.filter((k) => parts.includes(k.part) && k.score >= minScore);
    if (found.length === 0) return null;
    return {
      x: found.reduce((s, k) => s + k.x, 0) / found.length,
      y: found.reduce((s, k) => s + k.y, 0) / found.length,
    };
  };
  const shoulders = mid(['leftShoulder', 'rightShoulder']);
  const hips = mid(['leftHip', 'rightHip']);
  if (!shoulders || !hips) return null;
  const dx = shoulders.x - hips.x;
  const dy = shoulders.y - hips.y;
  const length = Math.hypot(dx, dy);
  if (length === 0) return null;
  return { angle: (Math.atan2(Math.abs(dx), Math.abs(dy)) * 180) / Math.PI, shoulders, length };
}

export interface FallEvent {
  /** When the person went down. */
  atMs: number;
  confidence: number;
}

/**
 * A person's keypoints turning horizontal after a fast drop and staying down: the torso was upright
 * shortly before, the shoulders came down by half a torso or more, and it stays past `downDeg` for
 * `stayDownMs`. Lying down slowly, bending over and sitting are not falls. One per camera's
 * primary body (the pose model follows the most prominent person).
 */
export class FallDetector {
  private upright: { atMs: number; torso: Torso }[] = [];
  private downSince: { atMs: number; confidence: number } | null = null;
  private reported = false;

  constructor(private readonly settings: FallSettings = FALL_SETTINGS) {}

  update(keypoints: readonly Keypoint[] | null, atMs: number): FallEvent | null {
    const s = this.settings;
    this.upright = this.upright.filter((u) => atMs - u.atMs <= s.dropWithinMs);
    const torso = keypoints ? torsoOf(keypoints, s.minKeypointScore) : null;
    if (!torso) return null;
    if (torso.angle <= s.uprightDeg) {
      this.upright.push({ atMs, torso });
      this.downSince = null;
      this.reported = false;
      return null;
    }
    if (torso.angle < s.downDeg) return null;
    if (!this.downSince) {
      const fell = this.upright.find(
        (u) => torso.shoulders.y - u.torso.shoulders.y >= s.minDropOfTorso * u.torso.length,
      );
      if (!fell) return null;
      // The further past horizontal's threshold and the faster, the surer.
      const speed = Math.max(0, 1 - (atMs - fell.atMs) / s.dropWithinMs);
      this.downSince = {
        atMs,
        confidence: Math.min(1, 0.6 + 0.2 * speed + (0.2 * (torso.angle - s.downDeg)) / (90 - s.downDeg)),
      };
    }
    if (!this.reported && atMs - this.downSince.atMs >= s.stayDownMs) {
      this.reported = true;
      return { atMs: this.downSince.atMs, confidence: this.downSince.confidence };
    }
    return null;
  }
}
