import type { LocalIssuer } from '@safecity/security';
import type { RunningServiceApp } from '@safecity/service-kit';
import {
  DEMO_HOTLIST_PLATES,
  startDetectionSimulator,
  type RunningDetectionSimulator,
  type SimulatedVideoSystem,
} from '@safecity/recognition';

const DEMO_HOTLIST_NAME = 'Demo: stolen vehicles';
const DEMO_REGIONS = ['ALA', 'AST', 'SHY', 'AKT'];

async function call(baseUrl: string, token: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'x-purpose': 'demo data set-up',
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** The active cameras of each video system, as camera-registry lists them. */
async function activeCamerasBySystem(
  cameraRegistryUrl: string,
  token: string,
): Promise<SimulatedVideoSystem[]> {
  const systems = new Map<string, SimulatedVideoSystem>();
  let cursor: string | null = null;
  // Bounded: the demo inventory is a few hundred cameras, 500 a page.
  for (let page = 0; page < 100; page++) {
    const query = new URLSearchParams({ lifecycle: 'active', limit: '500', ...(cursor ? { cursor } : {}) });
    const body = (await call(cameraRegistryUrl, token, `/cameras?${query}`)) as {
      items: { videoSystemId: string; externalId: string; regionCode: string }[];
      nextCursor: string | null;
    };
    for (const camera of body.items) {
      const system = systems.get(camera.videoSystemId) ?? {
        videoSystemId: camera.videoSystemId,
        regionCode: camera.regionCode,
        cameras: [],
      };
      system.cameras.push(camera.externalId);
      systems.set(camera.videoSystemId, system);
    }
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  return [...systems.values()];
}

/**
 * A plate hotlist holding the plates the simulator shows now and then, so that the demo raises
 * matches, which become incidents. Created once, through the same checks as any hotlist.
 */
export async function seedDemoHotlist(recognitionUrl: string, issuer: LocalIssuer): Promise<number> {
  const token = await issuer.issue({
    subject: 'demo-seed',
    roles: ['admin'],
    regions: 'all',
    ttlSeconds: 600,
  });
  const lists = (await call(recognitionUrl, token, '/watchlists?kind=plate')) as {
    items: { name: string }[];
  };
  if (lists.items.some((list) => list.name === DEMO_HOTLIST_NAME)) return 0;
  const list = (await call(recognitionUrl, token, '/watchlists', {
    kind: 'plate',
    name: DEMO_HOTLIST_NAME,
    regionCode: 'ALA',
    legalBasis: 'Demonstration data: no real vehicle',
    owner: 'Safe City demo',
  })) as { id: string };
  const expiresAt = new Date(Date.now() + 180 * 24 * 3600 * 1000).toISOString();
  for (const [i, plate] of DEMO_HOTLIST_PLATES.entries()) {
    await call(recognitionUrl, token, `/watchlists/${list.id}/plates`, {
      plate,
      country: 'KZ',
      reason: i % 2 === 0 ? 'stolen-vehicle' : 'wanted-person',
      priority: 1 + (i % 3),
      legalBasis: 'Demonstration data: no real vehicle',
      owner: 'Safe City demo',
      expiresAt,
      regions: DEMO_REGIONS,
    });
  }
  return DEMO_HOTLIST_PLATES.length;
}

/** Detections from every active demo camera at `ratePerSecond`, through recognition's pipeline. */
export async function startDemoDetections(
  cameraRegistry: RunningServiceApp,
  recognition: RunningServiceApp,
  issuer: LocalIssuer,
  ratePerSecond: number,
  /** Share of plate reads showing a demo hotlist plate (the simulator's default 2% unless given). */
  hotPlateShare?: number,
): Promise<RunningDetectionSimulator> {
  const token = await issuer.issue({
    subject: 'demo-simulator',
    roles: ['admin'],
    regions: 'all',
    ttlSeconds: 600,
  });
  const systems = await activeCamerasBySystem(cameraRegistry.httpUrl, token);
  return startDetectionSimulator({
    target: { app: recognition.app },
    systems,
    ratePerSecond,
    hotPlateShare,
    onError: (error) => process.stderr.write(`detection simulator: ${String(error)}\n`),
  });
}
