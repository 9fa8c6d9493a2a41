/** Plates a demo hotlist can list: the simulator shows them now and then, so matches happen. */
export const DEMO_HOTLIST_PLATES = ['777KZA02', '123ABC02', '001AAA01', '555BBB17', '909XYZ13'] as const;

/** The model the simulated face templates claim to come from. */
export const SIMULATED_FACE_MODEL = 'arcface-r100@1.2';
const FACE_DIMENSIONS = 512;
const LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';
/** Kazakhstan region codes as they end a plate (02 Almaty, 01 Astana, 17 Shymkent, ...). */
const PLATE_REGIONS = ['01', '02', '03', '05', '13', '17'];
const BEHAVIOURS = [
  ['loitering', 5],
  ['intrusion', 4],
  ['line-crossing', 6],
  ['crowd', 2],
  ['abandoned-object', 1],
  ['fight', 1],
  ['fall', 1],
  ['fire-smoke', 0.3],
] as const;
const VEHICLES = ['car', 'car', 'car', 'van', 'truck', 'bus', 'motorcycle'];
const COLOURS = ['white', 'black', 'silver', 'grey', 'red', 'blue'];

/** mulberry32: a seeded source, so a demo replays the same traffic. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratorOptions {
  /** Share of plate reads that show a demo hotlist plate; default 0.02. */
  hotPlateShare?: number;
  /** Shares of plates, faces and behaviour; default 0.6, 0.15, 0.25. */
  mix?: { plate: number; face: number; behaviour: number };
}

/** Canonical JSON detections as a video system would send them, for the given cameras. */
export class DetectionGenerator {
  private sequence = 0;
  private readonly mix;
  private readonly hotShare;

  constructor(
    private readonly random: () => number,
    private readonly prefix: string,
    options: GeneratorOptions = {},
  ) {
    this.mix = options.mix ?? { plate: 0.6, face: 0.15, behaviour: 0.25 };
    this.hotShare = options.hotPlateShare ?? 0.02;
  }

  next(cameraExternalId: string, now = new Date()): Record<string, unknown> {
    const r = this.random() * (this.mix.plate + this.mix.face + this.mix.behaviour);
    const base = {
      vendorEventId: `${this.prefix}-${++this.sequence}`,
      cameraExternalId,
      // Vendor clocks lag a little behind the platform's.
      observedAt: new Date(now.getTime() - Math.floor(this.random() * 1500)).toISOString(),
      frameBox: this.box(),
    };
    if (r < this.mix.plate) return { ...base, kind: 'plate', plate: this.plate() };
    if (r < this.mix.plate + this.mix.face) return { ...base, kind: 'face', face: this.face() };
    return { ...base, kind: 'behaviour', behaviour: this.behaviour() };
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)]!;
  }

  private box() {
    const width = 0.05 + this.random() * 0.2;
    const height = 0.05 + this.random() * 0.2;
    // Lower half of the frame: the road and the pavement, away from windows higher up.
    return { x: this.random() * (1 - width), y: 0.5 + this.random() * (0.5 - height), width, height };
  }

  plateText(): string {
    if (this.random() < this.hotShare) return this.pick(DEMO_HOTLIST_PLATES);
    const digits = String(Math.floor(this.random() * 1000)).padStart(3, '0');
    const letters = Array.from({ length: 3 }, () => this.pick([...LETTERS])).join('');
    return `${digits}${letters}${this.pick(PLATE_REGIONS)}`;
  }

  private plate() {
    return {
      text: this.plateText(),
      country: 'KZ',
      confidence: Math.round((0.75 + this.random() * 0.25) * 100) / 100,
      vehicle: { type: this.pick(VEHICLES), color: this.pick(COLOURS) },
      direction: this.random() < 0.5 ? 'approaching' : 'receding',
    };
  }

  private face() {
    const vector = new Float32Array(FACE_DIMENSIONS);
    let norm = 0;
    for (let i = 0; i < vector.length; i++) {
      vector[i] = this.random() * 2 - 1;
      norm += vector[i]! * vector[i]!;
    }
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < vector.length; i++) vector[i] = vector[i]! * scale;
    return {
      template: Array.from(vector),
      templateModel: SIMULATED_FACE_MODEL,
      quality: Math.round((0.5 + this.random() * 0.5) * 100) / 100,
      confidence: Math.round((0.8 + this.random() * 0.2) * 100) / 100,
    };
  }

  private behaviour() {
    const total = BEHAVIOURS.reduce((sum, [, weight]) => sum + weight, 0);
    let r = this.random() * total;
    const [type] = BEHAVIOURS.find(([, weight]) => (r -= weight) < 0) ?? BEHAVIOURS[0];
    return {
      type,
      confidence: Math.round((0.55 + this.random() * 0.45) * 100) / 100,
      ruleName: `zone ${1 + Math.floor(this.random() * 4)}`,
      objectCount: type === 'crowd' ? 20 + Math.floor(this.random() * 80) : 1 + Math.floor(this.random() * 3),
      dwellSeconds: type === 'loitering' ? 60 + Math.floor(this.random() * 600) : 0,
    };
  }
}
