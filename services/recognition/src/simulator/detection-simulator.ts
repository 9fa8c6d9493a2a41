import type { INestApplicationContext } from '@nestjs/common';
import { parseCanonicalValue } from '../ingestion/canonical/canonical-json.parser';
import type { Principal } from '@safecity/security';
import { type IngestSummary } from '../ingestion/pipeline/detection-ingest.service';
import { IngestDetectionsUseCase } from '../ingestion/use-cases/ingest-detections/ingest-detections.use-case';
import { DetectionGenerator, seeded, type GeneratorOptions } from './detection-generator';

/** A video system the simulator speaks for, with the vendor ids of its cameras. */
export interface SimulatedVideoSystem {
  videoSystemId: string;
  regionCode: string;
  /** Needed when posting over HTTP. */
  apiKey?: string;
  /** External (vendor) camera ids, as registered in camera-registry. */
  cameras: string[];
}

/** In process, the simulator speaks as the video system it simulates, as its key would over HTTP. */
export function simulatedSystem(
  system: Pick<SimulatedVideoSystem, 'videoSystemId' | 'regionCode'>,
): Principal {
  return { kind: 'video-system', subject: system.videoSystemId, roles: [], regions: [system.regionCode] };
}

export interface DetectionSimulatorOptions extends GeneratorOptions {
  /**
   * Where to send: a recognition base URL (canonical `POST /ingest/v1/detections` with each
   * system's API key), or a running recognition application, whose pipeline is called directly.
   */
  target: { baseUrl: string } | { app: INestApplicationContext };
  systems: SimulatedVideoSystem[];
  /** Detections per second over all systems. */
  ratePerSecond: number;
  /** Batches per second; default 5. */
  ticksPerSecond?: number;
  seed?: number;
  onError?: (error: unknown) => void;
}

export interface RunningDetectionSimulator {
  readonly sent: number;
  readonly accepted: number;
  readonly failed: number;
  stop(): Promise<void>;
}

/**
 * Realistic canonical detections (plates with a few demo hotlist plates among them, faces with
 * templates, behaviour) for the given cameras at a steady rate, for the embedded default and
 * demos. Detections go through the same route and pipeline as any video system's.
 */
export function startDetectionSimulator(options: DetectionSimulatorOptions): RunningDetectionSimulator {
  if (!(options.ratePerSecond > 0)) throw new RangeError('ratePerSecond must be positive');
  const systems = options.systems.filter((s) => s.cameras.length > 0);
  if (systems.length === 0) throw new RangeError('the simulator needs at least one system with cameras');
  if ('baseUrl' in options.target && systems.some((s) => !s.apiKey)) {
    throw new RangeError('posting over HTTP needs an API key for every system');
  }
  const ticks = options.ticksPerSecond ?? 5;
  const random = seeded(options.seed ?? Date.now());
  const generator = new DetectionGenerator(random, `sim-${Date.now().toString(36)}`, options);
  const state = { sent: 0, accepted: 0, failed: 0 };
  let carry = 0;
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();

  const send = async (system: SimulatedVideoSystem, detections: Record<string, unknown>[]) => {
    const summary = await deliver(options.target, system, detections);
    state.accepted += summary.accepted;
  };

  const tick = () => {
    carry += options.ratePerSecond / ticks;
    const count = Math.floor(carry);
    carry -= count;
    if (count === 0) return;
    const bySystem = new Map<SimulatedVideoSystem, Record<string, unknown>[]>();
    for (let i = 0; i < count; i++) {
      const system = systems[Math.floor(random() * systems.length)]!;
      const camera = system.cameras[Math.floor(random() * system.cameras.length)]!;
      const list = bySystem.get(system) ?? [];
      list.push(generator.next(camera));
      bySystem.set(system, list);
    }
    state.sent += count;
    // One tick at a time: a slow platform slows the simulator down instead of piling requests up.
    inFlight = inFlight.then(() =>
      Promise.all(
        [...bySystem].flatMap(([system, list]) => {
          const batches = [];
          for (let i = 0; i < list.length; i += 1000) batches.push(send(system, list.slice(i, i + 1000)));
          return batches;
        }),
      ).then(
        () => undefined,
        (error: unknown) => {
          state.failed += count;
          options.onError?.(error);
        },
      ),
    );
  };

  const timer = setInterval(() => {
    if (!stopped) tick();
  }, 1000 / ticks);
  timer.unref();

  return {
    get sent() {
      return state.sent;
    },
    get accepted() {
      return state.accepted;
    },
    get failed() {
      return state.failed;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await inFlight;
    },
  };
}

async function deliver(
  target: DetectionSimulatorOptions['target'],
  system: SimulatedVideoSystem,
  detections: Record<string, unknown>[],
): Promise<IngestSummary> {
  if ('app' in target) {
    const { candidates } = parseCanonicalValue({ detections });
    return target.app
      .get(IngestDetectionsUseCase)
      .execute({ actor: simulatedSystem(system), adapter: 'canonical', candidates });
  }
  const response = await fetch(new URL('/ingest/v1/detections', target.baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': system.apiKey! },
    body: JSON.stringify({ detections }),
  });
  if (!response.ok)
    throw new Error(`ingest answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return (await response.json()) as IngestSummary;
}
