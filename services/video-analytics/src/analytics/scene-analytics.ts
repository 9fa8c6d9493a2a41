import { judgeFace, SURVEILLANCE_QUALITY, type Analysis, type RgbImage } from '@safecity/vision';
import { contains, footOf, normalised, union, type Box, type Point } from './geometry';
import { FallDetector } from './falls';
import { IouTracker, type Track } from './tracker';

export type AnalyticsFeature = 'faces' | 'objects' | 'intrusion' | 'loitering' | 'falls';

export interface Zone {
  name: string;
  polygon: Point[];
  loiterSeconds: number;
  intrusion: boolean;
  crowdThreshold: number;
  countVehicles: boolean;
}

export interface SceneSettings {
  features: ReadonlySet<AnalyticsFeature>;
  zones: readonly Zone[];
}

export type BehaviourName = 'loitering' | 'intrusion' | 'crowd' | 'fall';

/** What the analytics saw, as a canonical detection will carry it. */
export type Observation =
  | {
      kind: 'face';
      /** Stable for the same face track: a resend is the same detection. */
      eventId: string;
      atMs: number;
      box: Box;
      template: Float32Array;
      quality: number;
      confidence: number;
    }
  | {
      kind: 'behaviour';
      eventId: string;
      atMs: number;
      behaviour: BehaviourName;
      box: Box;
      confidence: number;
      ruleName: string;
      objectCount: number;
      dwellSeconds: number;
    };

const VEHICLES = new Set(['car', 'bus', 'truck', 'motorcycle']);
/** Templates sent per face track at most: the first that passes the gate, then only clearly better ones. */
const MAX_TEMPLATES_PER_FACE = 3;
const BETTER_BY = 0.1;
/** People seen in fewer frames than this are not yet intruders (one-frame false detections). */
const MIN_HITS_FOR_INTRUSION = 2;
/** A crowd episode ends after this long below its threshold. */
const CROWD_QUIET_MS = 10_000;
/** Object detections below this confidence are not counted or tracked. */
const MIN_OBJECT_SCORE = 0.35;

/** Which models a camera's analytics need. */
export function modelsFor(features: ReadonlySet<AnalyticsFeature>) {
  return {
    faceEmbeddings: features.has('faces'),
    objects: features.has('objects') || features.has('intrusion') || features.has('loitering'),
    bodies: features.has('falls'),
  };
}

/**
 * One camera's analytics over its frames: faces through the quality gate to templates, people
 * tracked through zones (intrusion, loitering), people and vehicles counted per zone (crowds),
 * falls from body pose. Keeps only tracks and counters between frames, never a picture.
 */
export class SceneAnalytics {
  private readonly people = new IouTracker({ minIou: 0.2, maxUnseenMs: 3_000 });
  private readonly faces = new IouTracker({ minIou: 0.2, maxUnseenMs: 3_000 });
  private readonly falls = new FallDetector();
  private readonly faceSent = new Map<number, { count: number; best: number }>();
  private readonly inZoneSince = new Map<string, number>();
  private readonly reported = new Set<string>();
  private readonly crowds = new Map<string, { startedMs: number; quietSinceMs: number | null }>();

  constructor(
    private readonly cameraId: string,
    /** Distinguishes this watcher's track numbers from an earlier one's (a restart starts again at 1). */
    private readonly session: string,
    private readonly settings: SceneSettings,
  ) {}

  observe(image: RgbImage, analysis: Analysis, atMs: number): Observation[] {
    const out: Observation[] = [];
    const { features } = this.settings;
    if (features.has('faces')) out.push(...this.observeFaces(image, analysis, atMs));
    const people = analysis.objects
      .filter((o) => o.label === 'person' && o.score >= MIN_OBJECT_SCORE)
      .map((o) => ({ box: normalised(o.box, analysis.width, analysis.height), score: o.score }));
    if (features.has('intrusion') || features.has('loitering')) {
      out.push(...this.observeZones(this.people.update(people, atMs), atMs));
    }
    if (features.has('objects')) {
      const vehicles = analysis.objects
        .filter((o) => VEHICLES.has(o.label) && o.score >= MIN_OBJECT_SCORE)
        .map((o) => ({ box: normalised(o.box, analysis.width, analysis.height), score: o.score }));
      out.push(...this.observeCrowds(people, vehicles, atMs));
    }
    if (features.has('falls')) {
      const body = analysis.bodies[0];
      const fall = this.falls.update(body?.keypoints ?? null, atMs);
      if (fall && body) {
        out.push({
          kind: 'behaviour',
          eventId: `fall:${this.cameraId}:${this.session}:${fall.atMs}`,
          atMs,
          behaviour: 'fall',
          box: normalised(body.box, analysis.width, analysis.height),
          confidence: fall.confidence,
          ruleName: 'fall from body pose',
          objectCount: 1,
          dwellSeconds: 0,
        });
      }
    }
    return out;
  }

  private observeFaces(image: RgbImage, analysis: Analysis, atMs: number): Observation[] {
    const usable = analysis.faces.flatMap((face) => {
      const judgement = judgeFace(image, face, SURVEILLANCE_QUALITY);
      return judgement.usable && face.embedding ? [{ face, quality: judgement.quality }] : [];
    });
    const tracks = this.faces.update(
      usable.map((u) => ({ box: normalised(u.face.box, analysis.width, analysis.height), score: u.quality })),
      atMs,
    );
    const out: Observation[] = [];
    tracks.forEach((track) => {
      const match = usable[track.lastIndex];
      const sent = this.faceSent.get(track.id) ?? { count: 0, best: -1 };
      if (sent.count >= MAX_TEMPLATES_PER_FACE || match.quality < sent.best + BETTER_BY) return;
      sent.count++;
      sent.best = match.quality;
      this.faceSent.set(track.id, sent);
      out.push({
        kind: 'face',
        eventId: `face:${this.cameraId}:${this.session}:${track.id}:${sent.count}`,
        atMs,
        box: track.box,
        template: match.face.embedding!,
        quality: match.quality,
        confidence: match.face.score,
      });
    });
    const alive = new Set(this.faces.alive.map((t) => t.id));
    for (const id of this.faceSent.keys()) if (!alive.has(id)) this.faceSent.delete(id);
    return out;
  }

  private observeZones(tracks: Track[], atMs: number): Observation[] {
    const out: Observation[] = [];
    const present = new Set<string>();
    for (const zone of this.settings.zones) {
      for (const track of tracks) {
        if (!contains(zone.polygon, footOf(track.box))) continue;
        const key = `${zone.name}:${track.id}`;
        present.add(key);
        const since = this.inZoneSince.get(key) ?? atMs;
        this.inZoneSince.set(key, since);
        if (
          zone.intrusion &&
          this.settings.features.has('intrusion') &&
          track.hits >= MIN_HITS_FOR_INTRUSION
        ) {
          out.push(...this.once(`intrusion:${key}`, () => this.behaviour('intrusion', zone, track, atMs, 0)));
        }
        const dwell = (atMs - since) / 1000;
        if (
          zone.loiterSeconds > 0 &&
          this.settings.features.has('loitering') &&
          dwell >= zone.loiterSeconds
        ) {
          out.push(
            ...this.once(`loitering:${key}`, () =>
              this.behaviour('loitering', zone, track, atMs, Math.floor(dwell)),
            ),
          );
        }
      }
    }
    // Who left a zone (or was lost) starts afresh if they come back.
    const alive = new Set(this.people.alive.map((t) => t.id));
    for (const key of [...this.inZoneSince.keys()]) {
      const trackId = Number(key.slice(key.lastIndexOf(':') + 1));
      if (!present.has(key) && !alive.has(trackId)) {
        this.inZoneSince.delete(key);
        this.reported.delete(`intrusion:${key}`);
        this.reported.delete(`loitering:${key}`);
      }
    }
    return out;
  }

  private observeCrowds(
    people: { box: Box; score: number }[],
    vehicles: { box: Box; score: number }[],
    atMs: number,
  ): Observation[] {
    const out: Observation[] = [];
    for (const zone of this.settings.zones) {
      if (zone.crowdThreshold <= 0) continue;
      const counted = [...people, ...(zone.countVehicles ? vehicles : [])].filter((o) =>
        contains(zone.polygon, footOf(o.box)),
      );
      const episode = this.crowds.get(zone.name);
      if (counted.length >= zone.crowdThreshold) {
        if (!episode) {
          this.crowds.set(zone.name, { startedMs: atMs, quietSinceMs: null });
          out.push({
            kind: 'behaviour',
            eventId: `crowd:${this.cameraId}:${this.session}:${zone.name}:${atMs}`,
            atMs,
            behaviour: 'crowd',
            box: union(counted.map((o) => o.box)),
            confidence: counted.reduce((s, o) => s + o.score, 0) / counted.length,
            ruleName: zone.name,
            objectCount: counted.length,
            dwellSeconds: 0,
          });
        } else episode.quietSinceMs = null;
      } else if (episode) {
        episode.quietSinceMs ??= atMs;
        if (atMs - episode.quietSinceMs >= CROWD_QUIET_MS) this.crowds.delete(zone.name);
      }
    }
    return out;
  }

  private once(key: string, make: () => Observation): Observation[] {
    if (this.reported.has(key)) return [];
    this.reported.add(key);
    return [make()];
  }

  private behaviour(
    behaviour: 'intrusion' | 'loitering',
    zone: Zone,
    track: Track,
    atMs: number,
    dwellSeconds: number,
  ): Observation {
    return {
      kind: 'behaviour',
      eventId: `${behaviour}:${this.cameraId}:${this.session}:${zone.name}:${track.id}`,
      atMs,
      behaviour,
      box: track.box,
      confidence: track.score,
      ruleName: zone.name,
      objectCount: 1,
      dwellSeconds,
    };
  }
}
