import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { SnapshotTestServer } from '@safecity/testing';
import {
  encodeJpeg,
  fixturePhoto,
  readImage,
  scaled,
  VisionModels,
  type AnalysisRequest,
  type RgbImage,
} from '@safecity/vision';
import {
  modelsFor,
  SceneAnalytics,
  type AnalyticsFeature,
} from '../services/video-analytics/src/analytics/scene-analytics';
import { canonicalDetection } from '../services/video-analytics/src/delivery/canonical';
import { fetchWithCameraAuth } from '../services/video-analytics/src/frames/http-auth';
import type { CameraSource } from '../services/video-analytics/src/sources/camera-source';
import { option, table } from './infra';

/** 640×480 street scenes: a grey ground, a standing person and a face, at shifting places. */
function scenes(count: number): RgbImage[] {
  const person = scaled(fixturePhoto('cameraman'), 260, 260);
  const face = scaled(fixturePhoto('astronaut'), 220, 220);
  return Array.from({ length: count }, (_, k) => {
    const data = new Uint8Array(640 * 480 * 3);
    for (let i = 0; i < data.length; i++) data[i] = 100 + ((i * 7 + k * 13) % 40);
    const place = (img: RgbImage, x0: number, y0: number) => {
      for (let y = 0; y < img.height; y++) {
        data.set(img.data.subarray(y * img.width * 3, (y + 1) * img.width * 3), ((y0 + y) * 640 + x0) * 3);
      }
    };
    place(person, 20 + k * 12, 210);
    place(face, 380 - k * 10, 20 + k * 5);
    return { width: 640, height: 480, data };
  });
}

const SOURCE: CameraSource = {
  cameraId: '00000000-0000-4000-8000-000000000001',
  videoSystemId: '00000000-0000-4000-8000-000000000002',
  externalId: 'bench-1',
  regionCode: 'ALA',
  rtspUrl: null,
  onvif: null,
  snapshotUrl: null,
  sealedCredentials: null,
  frameRate: 1,
  features: [],
  zones: [],
  version: 1,
};

const ZONES = [
  {
    name: 'ground',
    polygon: [
      { x: 0, y: 0.4 },
      { x: 1, y: 0.4 },
      { x: 1, y: 1 },
      { x: 0, y: 1 },
    ],
    loiterSeconds: 30,
    intrusion: true,
    crowdThreshold: 5,
    countVehicles: true,
  },
];

interface Measure {
  frames: number;
  wallMs: number;
  cpuMs: number;
}

async function measure(frames: number, step: (i: number) => Promise<void>): Promise<Measure> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < frames; i++) await step(i);
  const used = process.cpuUsage(cpu);
  return { frames, wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

function add(a: Measure, b: Measure): Measure {
  return { frames: a.frames + b.frames, wallMs: a.wallMs + b.wallMs, cpuMs: a.cpuMs + b.cpuMs };
}

/**
 * `npm run bench -- analytics [--frames N] [--rounds R] [--task faces|objects|falls|all]`: frames per second per core of the
 * packaged models for faces and for objects, and of the service's whole per-frame pipeline on the
 * same frames in the same run (snapshot fetched over HTTP, decoded, analysed, tracked through the
 * zones, turned into canonical detections), alternating rounds of each; the pipeline's overhead
 * over bare inference; and how many cameras one core watches at one frame a second.
 */
export async function run(argv: string[]): Promise<void> {
  const framesPerRound = option(argv, 'frames', 20);
  const rounds = option(argv, 'rounds', 3);
  const jpegs = scenes(6).map((i) => encodeJpeg(i, 85));
  // Bare inference analyses exactly the pictures the pipeline decodes from the snapshots.
  const images = await Promise.all(jpegs.map((j) => readImage(j)));
  const models = VisionModels.shared();
  const server = new SnapshotTestServer();
  await server.start();
  const urls = jpegs.map((jpeg, k) => server.feed(`scene-${k}`, () => jpeg));
  const loadBefore = loadavg();
  const loadStarted = performance.now();
  await models.load();
  const loadMs = performance.now() - loadStarted;
  // The first inference of each model compiles its kernels: not part of any figure.
  await models.analyse(images[0], { faceEmbeddings: true, objects: true, bodies: true });

  const only = argv.includes('--task') ? argv[argv.indexOf('--task') + 1] : null;
  const every: { name: string; features: AnalyticsFeature[] }[] = [
    { name: 'faces (detect, gate, embed)', features: ['faces'] },
    { name: 'objects (people, vehicles per zone)', features: ['objects', 'intrusion', 'loitering'] },
    { name: 'falls (body pose)', features: ['falls'] },
    { name: 'all of them', features: ['faces', 'objects', 'intrusion', 'loitering', 'falls'] },
  ];
  const tasks = every.filter((t) => !only || t.name.startsWith(only));
  const rows: Record<string, string | number>[] = [];
  for (const task of tasks) {
    const request: AnalysisRequest = modelsFor(new Set(task.features));
    const scene = new SceneAnalytics(SOURCE.cameraId, 'bench', {
      features: new Set(task.features),
      zones: ZONES,
    });
    let clock = Date.now();
    const bare = async (i: number) => {
      // The service returns to the event loop between frames (sockets, timers), and V8 runs its
      // garbage-collection tasks there: a loop of bare awaits never would, and the collection of
      // the models' own garbage would be billed to the pipeline's rounds alone.
      await new Promise((resolve) => setImmediate(resolve));
      await models.analyse(images[i % images.length], request);
    };
    const pipeline = async (i: number) => {
      const response = await fetchWithCameraAuth(urls[i % urls.length], null, { timeoutMs: 5_000 }).catch(
        (e) => {
          process.stderr.write(`fetch failed: ${String((e as { cause?: unknown }).cause ?? e)}\n`);
          throw e;
        },
      );
      const image = await readImage(new Uint8Array(await response.arrayBuffer()));
      const analysis = await models.analyse(image, request);
      clock += 1_000;
      const observations = scene.observe(image, analysis, clock);
      JSON.stringify(observations.map((o) => canonicalDetection(SOURCE, o)));
    };
    // The pipeline's own code (HTTP client, decoder, tracker) is compiled before it is measured too.
    await measure(3, pipeline);
    let b: Measure = { frames: 0, wallMs: 0, cpuMs: 0 };
    let p: Measure = { frames: 0, wallMs: 0, cpuMs: 0 };
    for (let r = 0; r < rounds; r++) {
      b = add(b, await measure(framesPerRound, bare));
      p = add(p, await measure(framesPerRound, pipeline));
    }
    const perCore = (m: Measure) => (m.frames / m.cpuMs) * 1000;
    rows.push({
      task: task.name,
      'bare fps': ((b.frames / b.wallMs) * 1000).toFixed(1),
      'bare fps/core': perCore(b).toFixed(1),
      'bare CPU ms/frame': (b.cpuMs / b.frames).toFixed(1),
      'pipeline fps': ((p.frames / p.wallMs) * 1000).toFixed(1),
      'pipeline fps/core': perCore(p).toFixed(1),
      'pipeline CPU ms/frame': (p.cpuMs / p.frames).toFixed(1),
      'overhead (CPU)': `${((p.cpuMs / p.frames / (b.cpuMs / b.frames) - 1) * 100).toFixed(1)}%`,
      'cameras/core at 1 fps': Math.floor(perCore(p)),
    });
  }
  await server.stop();
  process.stdout.write(
    [
      `video analytics on ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores); TensorFlow.js WebAssembly backend, one thread`,
      `models loaded in ${loadMs.toFixed(0)} ms; ${rounds} alternating rounds of ${framesPerRound} frames per task, 640×480, one person and one face per frame`,
      `load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
      table(rows),
      '',
    ].join('\n'),
  );
}
