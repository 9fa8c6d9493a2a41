import { SIMULATED_FACE_MODEL } from '@safecity/recognition';
import type { LocalIssuer } from '@safecity/security';
import { DEMO_CITIES } from './demo-inventory';

/**
 * What an operations center needs besides cameras, for the embedded default: operations centers
 * and units per demo city, SOP checklists, a face watchlist, behaviour rules on some cameras and a
 * few prevention cases — each created through the owning service's public API, like an
 * administrator would, and only where none exist yet.
 */

export interface DemoUrls {
  cameraRegistry: string;
  recognition: string;
  incidents: string;
  prevention: string;
}

export const DEMO_FACE_WATCHLIST = 'Demo: wanted and missing persons';
/** Face templates of the demo watchlist's subjects: fixed, so the scenario can show them to a camera. */
export const DEMO_FACE_SUBJECTS = ['demo-case-2026-001/person-1', 'demo-case-2026-002/person-1'];

export function demoFaceTemplate(index: number, noise = 0, seed = 1): number[] {
  let state = (index + 1) * 7919;
  let noiseState = seed * 104729;
  const next = (s: number) => (Math.imul(s, 1103515245) + 12345) >>> 0;
  const vector = Array.from({ length: 512 }, () => {
    state = next(state);
    noiseState = next(noiseState);
    return (state / 2 ** 32) * 2 - 1 + noise * ((noiseState / 2 ** 32) * 2 - 1);
  });
  const norm = Math.sqrt(vector.reduce((sum, v) => sum + v * v, 0));
  return vector.map((v) => v / norm);
}

async function call(
  base: string,
  token: string,
  path: string,
  body?: unknown,
  method?: string,
): Promise<any> {
  const response = await fetch(`${base}${path}`, {
    method: method ?? (body ? 'POST' : 'GET'),
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'x-purpose': 'demo data set-up',
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok)
    throw new Error(
      `${method ?? (body ? 'POST' : 'GET')} ${path}: ${response.status} ${await response.text()}`,
    );
  return response.status === 204 ? null : response.json();
}

const SOPS: Record<string, string[]> = {
  'wanted-vehicle': [
    'Compare plate, make and colour on the snapshot with the hotlist entry',
    'Check the vehicle’s direction on the next cameras',
    'Send the nearest patrol and describe the vehicle',
    'Record the outcome of the stop',
  ],
  'wanted-person': [
    'Second operator confirms the face match independently',
    'Check the legal basis and expiry of the watchlist entry',
    'Send a patrol to observe, not to act on the match alone',
    'Record what the patrol established',
  ],
  violence: [
    'Watch the camera live and estimate the number of people',
    'Send a patrol; call an ambulance if anyone is hurt',
    'Keep the camera on the scene until the patrol arrives',
  ],
  'public-order': ['Watch the camera live', 'Decide whether a patrol is needed', 'Record the outcome'],
  infrastructure: [
    'Check the camera’s health page',
    'Notify the akimat’s integrator',
    'Record when the camera is back',
  ],
  medical: ['Call an ambulance', 'Keep the camera on the scene', 'Record the handover'],
};

const UNITS: Record<string, { callSign: string; kind: string }[]> = {
  ALA: [
    { callSign: 'Berkut-11', kind: 'patrol' },
    { callSign: 'Berkut-12', kind: 'patrol' },
    { callSign: 'Berkut-14', kind: 'patrol' },
    { callSign: 'Berkut-21', kind: 'patrol' },
    { callSign: 'Medic-3', kind: 'ambulance' },
    { callSign: 'Fire-7', kind: 'fire' },
  ],
  AST: [
    { callSign: 'Sunkar-01', kind: 'patrol' },
    { callSign: 'Sunkar-02', kind: 'patrol' },
    { callSign: 'Medic-1', kind: 'ambulance' },
  ],
  SHY: [{ callSign: 'Kyran-05', kind: 'patrol' }],
  AKT: [{ callSign: 'Aqtobe-2', kind: 'patrol' }],
};

export interface DemoOperations {
  centers: number;
  units: number;
  faceSubjects: number;
}

export async function seedDemoOperations(urls: DemoUrls, issuer: LocalIssuer): Promise<DemoOperations> {
  const token = await issuer.issue({
    subject: 'demo-seed',
    roles: ['admin'],
    regions: 'all',
    ttlSeconds: 600,
  });
  const outcome: DemoOperations = { centers: 0, units: 0, faceSubjects: 0 };

  const centers = (await call(urls.cameraRegistry, token, '/operations-centers')) as unknown[];
  if (centers.length === 0) {
    for (const city of DEMO_CITIES) {
      await call(urls.cameraRegistry, token, '/operations-centers', {
        name: `${city.city} city operations center`,
        regionCode: city.regionCode,
      });
      outcome.centers++;
    }
  }

  const units = (await call(urls.incidents, token, '/units')) as unknown[];
  if (units.length === 0) {
    for (const [regionCode, list] of Object.entries(UNITS)) {
      for (const unit of list) {
        await call(urls.incidents, token, '/units', { ...unit, regionCode });
        outcome.units++;
      }
    }
    // Published with the first units: a platform without units has never been seeded.
    for (const [category, steps] of Object.entries(SOPS)) {
      await call(
        urls.incidents,
        token,
        `/sops/${category}`,
        { steps: steps.map((title, i) => ({ id: `step-${i + 1}`, title })) },
        'PUT',
      );
    }
  }

  const faceLists = (await call(urls.recognition, token, '/watchlists?kind=face')) as {
    items: { name: string }[];
  };
  if (!faceLists.items.some((list) => list.name === DEMO_FACE_WATCHLIST)) {
    const list = (await call(urls.recognition, token, '/watchlists', {
      kind: 'face',
      name: DEMO_FACE_WATCHLIST,
      regionCode: 'ALA',
      category: 'wanted',
      threshold: 0.8,
      legalBasis: 'Demonstration data: court order 2-1234/2026 (fictitious)',
      owner: 'Safe City demo',
    })) as { id: string };
    const expiresAt = new Date(Date.now() + 180 * 24 * 3600 * 1000).toISOString();
    for (const [i, subjectRef] of DEMO_FACE_SUBJECTS.entries()) {
      await call(urls.recognition, token, `/watchlists/${list.id}/subjects`, {
        subjectRef,
        legalBasis: `Demonstration data: court order 2-12${i}4/2026 (fictitious)`,
        owner: 'Safe City demo',
        expiresAt,
        regions: ['ALA', 'AST'],
        templates: [{ model: SIMULATED_FACE_MODEL, vector: demoFaceTemplate(i) }],
      });
      outcome.faceSubjects++;
    }
  }

  const cases = (await call(urls.prevention, token, '/cases?limit=1')) as { items: unknown[] };
  if (cases.items.length === 0) {
    const base = {
      ownerAgency: 'district-police-inspector',
      responsibleOfficer: 'prevention.almaty',
      regionCode: 'ALA',
    };
    await call(urls.prevention, token, '/cases', {
      ...base,
      category: 'family-in-difficulty',
      legalBasis: 'Law on prevention of offences, art. 17 (demonstration data)',
      subject: {
        kind: 'family',
        name: 'Demo family Seitkali',
        address: 'Tole Bi St 120, Almaty',
        notes: 'Fictitious family for the demo',
      },
    });
    await call(urls.prevention, token, '/cases', {
      ...base,
      category: 'place-based-hotspot',
      legalBasis: 'Akimat order on hotspot prevention (demonstration data)',
      subject: {
        kind: 'place',
        name: 'Underpass at Abay Ave / Dostyk Ave',
        address: 'Abay Ave 52, Almaty',
        location: { lat: 43.2405, lon: 76.9551 },
      },
    });
  }
  return outcome;
}
