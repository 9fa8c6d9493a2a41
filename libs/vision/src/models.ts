import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PixelBox, RgbImage } from './image';

/*
 * The models come inside npm packages and load from the package folders: nothing is downloaded at
 * install or at run time. @vladmandic/human (MIT) bundles the model files (BlazeFace and FaceMesh,
 * FaceRes, MoveNet Lightning, CenterNet on COCO) and runs them on TensorFlow.js' WebAssembly
 * backend (Apache-2.0), which needs no native library.
 */
const HUMAN_DIST = dirname(require.resolve('@vladmandic/human'));
const HUMAN_ROOT = join(HUMAN_DIST, '..');
const MODEL_DIR = join(HUMAN_ROOT, 'models');
const WASM_DIR = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '..', 'dist');

/** The version of the package the models came in; part of every template's model tag. */
export const MODEL_PACKAGE_VERSION: string = JSON.parse(
  readFileSync(join(HUMAN_ROOT, 'package.json'), 'utf8'),
).version;

/**
 * The model tag of the face templates computed here, `<name>@<version>`: recognition compares a
 * template only with templates of the same tag, so a new model never meets the old one's vectors.
 */
export const FACE_TEMPLATE_MODEL = `human-faceres@${MODEL_PACKAGE_VERSION}`;

export interface FaceFinding {
  /** In pixels of the analysed picture. */
  box: PixelBox;
  /** Detector confidence, 0..1. */
  score: number;
  /** Head pose in degrees (0 = facing the camera). */
  yaw: number;
  pitch: number;
  roll: number;
  /** Unit-length embedding, or null when embeddings were not asked for. */
  embedding: Float32Array | null;
}

export interface ObjectFinding {
  /** COCO class name: person, car, bus, truck, motorcycle, ... */
  label: string;
  score: number;
  box: PixelBox;
}

export interface Keypoint {
  /** MoveNet part name: nose, leftShoulder, rightHip, ... */
  part: string;
  x: number;
  y: number;
  score: number;
}

export interface BodyFinding {
  score: number;
  box: PixelBox;
  keypoints: Keypoint[];
}

export interface AnalysisRequest {
  faces?: boolean;
  /** Embeddings of the faces found (FaceRes); implies faces. */
  faceEmbeddings?: boolean;
  objects?: boolean;
  bodies?: boolean;
}

export interface Analysis {
  width: number;
  height: number;
  faces: FaceFinding[];
  objects: ObjectFinding[];
  bodies: BodyFinding[];
  /** Time in the models, milliseconds. */
  inferenceMs: number;
}

type HumanInstance = {
  load(): Promise<void>;
  detect(input: unknown, config?: Record<string, unknown>): Promise<any>;
  tf: any;
};

let fileRouterRegistered = false;

/** Lets TensorFlow.js load `file://` model URLs from disk (its node fetch cannot). */
function registerFileRouter(tf: any) {
  if (fileRouterRegistered) return;
  fileRouterRegistered = true;
  tf.io.registerLoadRouter((url: string | string[]) => {
    const target = Array.isArray(url) ? url[0] : url;
    if (typeof target !== 'string' || !target.startsWith('file://')) return null;
    const file = target.slice('file://'.length);
    return {
      load: async () => {
        const json = JSON.parse(readFileSync(file, 'utf8'));
        return tf.io.getModelArtifactsForJSON(
          json,
          async (manifest: { paths: string[]; weights: unknown[] }[]) => {
            const specs: unknown[] = [];
            const parts: Buffer[] = [];
            for (const group of manifest) {
              for (const path of group.paths) parts.push(readFileSync(join(dirname(file), path)));
              specs.push(...group.weights);
            }
            const all = Buffer.concat(parts);
            return [specs, all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength)];
          },
        );
      },
    };
  });
}

function configFor(request: AnalysisRequest): Record<string, unknown> {
  const faces = Boolean(request.faces || request.faceEmbeddings);
  return {
    face: {
      enabled: faces,
      detector: { enabled: faces, rotation: false, maxDetected: 20, minConfidence: 0.5, return: false },
      // The mesh gives the head pose and aligns the face for the embedding.
      mesh: { enabled: faces },
      description: { enabled: Boolean(request.faceEmbeddings) },
    },
    body: { enabled: Boolean(request.bodies) },
    object: { enabled: Boolean(request.objects) },
  };
}

/**
 * The models of one process, loaded on first use (a process that never analyses a frame never
 * loads them) and run one picture at a time: the WebAssembly backend computes on one thread, and
 * interleaved calls would only contend for it.
 */
export class VisionModels {
  private static instance: VisionModels | undefined;
  private human: Promise<HumanInstance> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private loadedFlag = false;

  /** The process's models. */
  static shared(): VisionModels {
    return (VisionModels.instance ??= new VisionModels());
  }

  get loaded(): boolean {
    return this.loadedFlag;
  }

  /** Loads the models now (otherwise the first analysis does). */
  async load(): Promise<void> {
    await this.instance();
  }

  analyse(image: RgbImage, request: AnalysisRequest): Promise<Analysis> {
    const run = this.queue.then(() => this.run(image, request));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private instance(): Promise<HumanInstance> {
    this.human ??= (async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const tf = require('@tensorflow/tfjs-core');
      registerFileRouter(tf);
      // The package's `exports` do not reach its WebAssembly build; it is loaded by path.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Human } = require(join(HUMAN_DIST, 'human.node-wasm.js'));
      const human: HumanInstance = new Human({
        backend: 'wasm',
        wasmPath: `${WASM_DIR}/`,
        modelBasePath: `file://${MODEL_DIR}/`,
        debug: false,
        async: false,
        warmup: 'none',
        // Every frame is analysed afresh: no results carried over from similar frames.
        cacheSensitivity: 0,
        filter: { enabled: false },
        gesture: { enabled: false },
        hand: { enabled: false },
        segmentation: { enabled: false },
        face: {
          iris: { enabled: false },
          emotion: { enabled: false },
          antispoof: { enabled: false },
          liveness: { enabled: false },
          attention: { enabled: false },
          gear: { enabled: false },
          skipFrames: 0,
          detector: { skipFrames: 0, skipTime: 0 },
          mesh: { enabled: true },
          description: { enabled: true, skipFrames: 0, skipTime: 0, minConfidence: 0 },
        },
        body: {
          enabled: true,
          modelPath: 'movenet-lightning.json',
          maxDetected: 1,
          skipFrames: 0,
          skipTime: 0,
        },
        object: {
          enabled: true,
          modelPath: 'centernet.json',
          minConfidence: 0.3,
          maxDetected: 30,
          skipFrames: 0,
          skipTime: 0,
        },
      });
      await human.load();
      this.loadedFlag = true;
      return human;
    })();
    return this.human;
  }

  private async run(image: RgbImage, request: AnalysisRequest): Promise<Analysis> {
    const human = await this.instance();
    const tensor = human.tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
    const started = performance.now();
    try {
      const result = await human.detect(tensor, configFor(request));
      if (result.error) throw new Error(`analysis failed: ${result.error}`);
      return {
        width: image.width,
        height: image.height,
        faces: (result.face ?? []).map(toFace),
        objects: (result.object ?? []).map((o: any) => ({ label: o.label, score: o.score, box: box(o.box) })),
        bodies: (result.body ?? []).map((b: any) => ({
          score: b.score,
          box: box(b.box),
          keypoints: b.keypoints.map((k: any) => ({
            part: k.part,
            x: k.position[0],
            y: k.position[1],
            score: k.score,
          })),
        })),
        inferenceMs: performance.now() - started,
      };
    } finally {
      tensor.dispose();
    }
  }
}

const DEGREES = 180 / Math.PI;

function box(b: number[]): PixelBox {
  return { x: b[0], y: b[1], width: b[2], height: b[3] };
}

function toFace(f: any): FaceFinding {
  const angle = f.rotation?.angle ?? { yaw: 0, pitch: 0, roll: 0 };
  let embedding: Float32Array | null = null;
  if (Array.isArray(f.embedding) && f.embedding.length > 0) {
    embedding = Float32Array.from(f.embedding);
    let norm = 0;
    for (const v of embedding) norm += v * v;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let i = 0; i < embedding.length; i++) embedding[i] /= norm;
  }
  return {
    box: box(f.box),
    score: f.score,
    yaw: angle.yaw * DEGREES,
    pitch: angle.pitch * DEGREES,
    roll: angle.roll * DEGREES,
    embedding,
  };
}
