import type { LocalIssuer } from '@safecity/security';

/**
 * A demo inventory for the embedded default: one video system per city and a few hundred cameras
 * around the centres of Almaty, Astana, Shymkent and Aktobe, registered through camera-registry's
 * public API like an akimat integrator would. Deterministic, so every fresh start looks the same.
 */
interface DemoCity {
  regionCode: string;
  city: string;
  vendor: string;
  ingestionMethod: string;
  centre: { lat: number; lon: number };
  /** Half-extent of the scatter, in degrees. */
  spread: { lat: number; lon: number };
  cameras: number;
}

export const DEMO_CITIES: DemoCity[] = [
  {
    regionCode: 'ALA',
    city: 'Almaty',
    vendor: 'milestone',
    ingestionMethod: 'canonical-push',
    centre: { lat: 43.2389, lon: 76.8897 },
    spread: { lat: 0.07, lon: 0.1 },
    cameras: 120,
  },
  {
    regionCode: 'AST',
    city: 'Astana',
    vendor: 'hikvision',
    ingestionMethod: 'hikvision-isapi',
    centre: { lat: 51.1282, lon: 71.4307 },
    spread: { lat: 0.06, lon: 0.1 },
    cameras: 90,
  },
  {
    regionCode: 'SHY',
    city: 'Shymkent',
    vendor: 'dahua',
    ingestionMethod: 'onvif-events',
    centre: { lat: 42.3417, lon: 69.5901 },
    spread: { lat: 0.05, lon: 0.08 },
    cameras: 60,
  },
  {
    regionCode: 'AKT',
    city: 'Aktobe',
    vendor: 'frigate',
    ingestionMethod: 'frigate-mqtt',
    centre: { lat: 50.2839, lon: 57.167 },
    spread: { lat: 0.04, lon: 0.06 },
    cameras: 40,
  },
];

const TAGS = ['school', 'transport-hub', 'market', 'park', 'residential', 'crossroads', 'hospital', 'mall'];
const STREETS = [
  'Abay Ave',
  'Dostyk Ave',
  'Tole Bi St',
  'Republic Ave',
  'Kenesary St',
  'Baitursynov St',
  'Seifullin Ave',
  'Zheltoksan St',
];
const CAPABILITY_SETS = [
  ['plates'],
  ['plates', 'behaviour'],
  ['faces', 'behaviour'],
  ['behaviour'],
  ['plates', 'faces', 'behaviour', 'ptz'],
];

/** Small deterministic PRNG (mulberry32) so the demo data is the same on every machine. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function call(baseUrl: string, token: string, path: string, body?: unknown) {
  const response = await fetch(`${baseUrl}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** Registers the demo inventory unless camera-registry already has video systems; returns cameras added. */
export async function seedDemoInventory(cameraRegistryUrl: string, issuer: LocalIssuer): Promise<number> {
  // Seeded as the national administrator would, through the same checks as any integrator.
  const token = await issuer.issue({
    subject: 'demo-seed',
    roles: ['admin'],
    regions: 'all',
    ttlSeconds: 600,
  });
  const existing = (await call(cameraRegistryUrl, token, '/video-systems')) as unknown[];
  if (existing.length > 0) return 0;
  const next = random(20261125);
  let added = 0;
  for (const city of DEMO_CITIES) {
    const system = (await call(cameraRegistryUrl, token, '/video-systems', {
      regionCode: city.regionCode,
      name: `${city.city} city video surveillance`,
      vendor: city.vendor,
      ingestionMethod: city.ingestionMethod,
    })) as { id: string };
    for (let i = 1; i <= city.cameras; i++) {
      const street = STREETS[Math.floor(next() * STREETS.length)];
      await call(cameraRegistryUrl, token, '/cameras', {
        videoSystemId: system.id,
        externalId: `ch-${String(i).padStart(4, '0')}`,
        name: `${city.city}, ${street} #${i}`,
        location: {
          lat: +(city.centre.lat + (next() * 2 - 1) * city.spread.lat).toFixed(6),
          lon: +(city.centre.lon + (next() * 2 - 1) * city.spread.lon).toFixed(6),
        },
        address: `${street} ${1 + Math.floor(next() * 200)}, ${city.city}`,
        directionDeg: Math.floor(next() * 360),
        fieldOfViewDeg: 60 + Math.floor(next() * 60),
        mountType: next() < 0.8 ? 'pole' : 'wall',
        capabilities: CAPABILITY_SETS[Math.floor(next() * CAPABILITY_SETS.length)],
        tags: [TAGS[Math.floor(next() * TAGS.length)]],
        lifecycle: next() < 0.95 ? 'active' : 'maintenance',
      });
      added++;
    }
  }
  return added;
}
