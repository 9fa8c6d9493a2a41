import { iou, type Box } from './geometry';

export interface Track {
  /** Unique within the tracker's life. */
  id: number;
  box: Box;
  score: number;
  firstSeenMs: number;
  lastSeenMs: number;
  /** Frames it was matched in. */
  hits: number;
  /** Index of the detection that continued it in the last update. */
  lastIndex: number;
}

export interface TrackerOptions {
  /** Least overlap for a detection to continue a track. */
  minIou: number;
  /** A track not seen for this long is dropped. */
  maxUnseenMs: number;
}

/**
 * A small multi-object tracker: each frame's boxes continue the tracks they overlap most (greedy by
 * IoU, best pairs first), or, at low frame rates where a walking person's boxes no longer
 * overlap, the nearest track within one box size; the rest start new tracks. One per camera.
 */
export class IouTracker {
  private readonly tracks = new Map<number, Track>();
  private nextId = 1;

  constructor(private readonly options: TrackerOptions) {}

  update(detections: readonly { box: Box; score: number }[], atMs: number): Track[] {
    const live = [...this.tracks.values()];
    const pairs: { t: Track; d: number; score: number }[] = [];
    detections.forEach((det, d) => {
      for (const t of live) {
        const overlap = iou(t.box, det.box);
        if (overlap >= this.options.minIou) pairs.push({ t, d, score: 1 + overlap });
        else {
          const dx = t.box.x + t.box.width / 2 - (det.box.x + det.box.width / 2);
          const dy = t.box.y + t.box.height / 2 - (det.box.y + det.box.height / 2);
          const reach = Math.max(t.box.width, t.box.height, det.box.width, det.box.height);
          const distance = Math.hypot(dx, dy);
          if (distance < reach) pairs.push({ t, d, score: 1 - distance / reach });
        }
      }
    });
    pairs.sort((a, b) => b.score - a.score);
    const usedTracks = new Set<number>();
    const usedDetections = new Set<number>();
    for (const { t, d } of pairs) {
      if (usedTracks.has(t.id) || usedDetections.has(d)) continue;
      usedTracks.add(t.id);
      usedDetections.add(d);
      t.box = detections[d].box;
      t.score = detections[d].score;
      t.lastSeenMs = atMs;
      t.hits++;
      t.lastIndex = d;
    }
    detections.forEach((det, d) => {
      if (usedDetections.has(d)) return;
      const id = this.nextId++;
      this.tracks.set(id, {
        id,
        box: det.box,
        score: det.score,
        firstSeenMs: atMs,
        lastSeenMs: atMs,
        hits: 1,
        lastIndex: d,
      });
    });
    for (const t of live) {
      if (atMs - t.lastSeenMs > this.options.maxUnseenMs) this.tracks.delete(t.id);
    }
    return [...this.tracks.values()].filter((t) => t.lastSeenMs === atMs);
  }

  /** Tracks still alive (seen recently), whether or not they were seen in the last frame. */
  get alive(): Track[] {
    return [...this.tracks.values()];
  }
}
