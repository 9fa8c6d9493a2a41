import { common } from '@safecity/contracts';
import {
  ingestScriptedDetections,
  SIMULATED_FACE_MODEL,
  type ScriptedDetection,
} from '@safecity/recognition';
import type { LocalIssuer } from '@safecity/security';
import type { RunningServiceApp } from '@safecity/service-kit';
import { demoFaceTemplate, type DemoUrls } from './demo-operations';
import { faceCrop, plateSnapshot } from './demo-pictures';

/**
 * The demo's scripted stream: one event every few seconds, cycling through what an operations
 * center handles — a hotlisted plate with its snapshot (exact, then seen again on another camera,
 * then an OCR-confusable and a one-edit reading), a fight and a fall on cameras with behaviour
 * rules, a face of a watchlist subject, citizen reports, a camera that loses video and comes back.
 * Everything enters through the services' own paths (recognition's pipeline, camera heartbeats
 * with the video system's key, the citizen report API), so each becomes an incident the way a
 * real one would, at a pace one operator can follow.
 */

interface DemoCamera {
  id: string;
  externalId: string;
  videoSystemId: string;
  regionCode: string;
  name: string;
  address: string | null;
  location: { lat: number; lon: number };
  capabilities: string[];
}

interface Cast {
  plates: Record<string, DemoCamera[]>;
  faces: DemoCamera[];
  fight: DemoCamera;
  fall: DemoCamera;
  outage: DemoCamera;
  all: Map<string, DemoCamera[]>;
  keys: Map<string, string>;
}

export interface RunningDemoScenario {
  readonly sent: number;
  stop(): Promise<void>;
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
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

async function camerasOf(urls: DemoUrls, token: string, query: string): Promise<DemoCamera[]> {
  const body = (await call(urls.cameraRegistry, token, `/cameras?lifecycle=active&limit=200&${query}`)) as {
    items: DemoCamera[];
  };
  return body.items;
}

const DEMO_KEY_LABEL = 'demo heartbeats';

/** Behaviour rules on the scenario's cameras, and a heartbeat key per demo video system. */
async function castOf(urls: DemoUrls, token: string): Promise<Cast> {
  const plates: Record<string, DemoCamera[]> = {
    ALA: await camerasOf(urls, token, 'regionCode=ALA&capability=plates'),
    AST: await camerasOf(urls, token, 'regionCode=AST&capability=plates'),
  };
  const faces = await camerasOf(urls, token, 'regionCode=ALA&capability=faces');
  const behaviour = await camerasOf(urls, token, 'regionCode=ALA&capability=behaviour');
  if (plates.ALA!.length < 3 || plates.AST!.length < 1 || faces.length < 1 || behaviour.length < 3) {
    throw new Error('the demo inventory lacks cameras for the scenario');
  }
  const [fight, fall] = [behaviour[0]!, behaviour[1]!];
  for (const [camera, rule] of [
    [fight, { behaviour: 'fight', minConfidence: 0.5, severity: 'critical' }],
    [fall, { behaviour: 'fall', minConfidence: 0.5, severity: 'high' }],
  ] as const) {
    const rules = (await call(urls.recognition, token, `/cameras/${camera.id}/behaviour-rules`)) as unknown[];
    if (rules.length === 0)
      await call(urls.recognition, token, `/cameras/${camera.id}/behaviour-rules`, rule);
  }
  const all = new Map<string, DemoCamera[]>();
  for (let cursor: string | null = null, page = 0; page < 10; page++) {
    const body = (await call(
      urls.cameraRegistry,
      token,
      `/cameras?lifecycle=active&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    )) as { items: DemoCamera[]; nextCursor: string | null };
    for (const camera of body.items)
      all.set(camera.videoSystemId, [...(all.get(camera.videoSystemId) ?? []), camera]);
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  const keys = new Map<string, string>();
  for (const systemId of all.keys()) {
    // One key per start; the keys of earlier starts are revoked.
    const existing = (await call(urls.cameraRegistry, token, `/video-systems/${systemId}/api-keys`)) as {
      keyId: string;
      label: string | null;
      revokedAt?: string | null;
    }[];
    for (const key of existing.filter((k) => k.label === DEMO_KEY_LABEL && !k.revokedAt)) {
      await call(
        urls.cameraRegistry,
        token,
        `/video-systems/${systemId}/api-keys/${key.keyId}`,
        undefined,
        'DELETE',
      );
    }
    const issued = (await call(urls.cameraRegistry, token, `/video-systems/${systemId}/api-keys`, {
      label: DEMO_KEY_LABEL,
    })) as { apiKey: string };
    keys.set(systemId, issued.apiKey);
  }
  return { plates, faces, fight, fall, outage: behaviour[2]!, all, keys };
}

export async function startDemoScenario(options: {
  urls: DemoUrls;
  recognition: RunningServiceApp;
  issuer: LocalIssuer;
  intervalSeconds: number;
  onError?: (error: unknown) => void;
}): Promise<RunningDemoScenario> {
  const { urls, issuer } = options;
  const adminToken = () =>
    issuer.issue({ subject: 'demo-scenario', roles: ['admin'], regions: 'all', ttlSeconds: 600 });
  const cast = await castOf(urls, await adminToken());
  const run = Date.now().toString(36);
  let sequence = 0;
  let sent = 0;
  const offline = new Set<string>();

  const detection = (
    camera: DemoCamera,
    body: Record<string, unknown>,
    pictures?: ScriptedDetection['pictures'],
  ) =>
    ingestScriptedDetections(
      options.recognition.app,
      { videoSystemId: camera.videoSystemId, regionCode: camera.regionCode },
      [
        {
          detection: {
            vendorEventId: `demo-${run}-${++sequence}`,
            cameraExternalId: camera.externalId,
            observedAt: new Date().toISOString(),
            frameBox: { x: 0.35, y: 0.55, width: 0.3, height: 0.2 },
            ...body,
          },
          pictures,
        },
      ],
    );
  const plate =
    (region: 'ALA' | 'AST', which: number, read: string, colour: string, make: string) => async () => {
      const cameras = cast.plates[region]!;
      const camera = cameras[which % cameras.length]!;
      await detection(
        camera,
        {
          kind: 'plate',
          plate: {
            text: read,
            country: 'KZ',
            confidence: 0.94,
            vehicle: { type: 'car', color: colour, make },
            direction: 'approaching',
          },
        },
        [{ contentType: 'image/png', bytes: plateSnapshot(read, colour) }],
      );
    };
  const behaviour = (camera: DemoCamera, type: string, objectCount: number) => async () => {
    await detection(camera, {
      kind: 'behaviour',
      behaviour: { type, confidence: 0.91, ruleName: 'zone 1', objectCount, dwellSeconds: 0 },
    });
  };
  const face = (subject: number) => async () => {
    const vector = Float32Array.from(demoFaceTemplate(subject, 0.05, sequence + 1));
    await detection(
      cast.faces[subject % cast.faces.length]!,
      {
        kind: 'face',
        face: {
          template: Buffer.from(vector.buffer).toString('base64'),
          templateModel: SIMULATED_FACE_MODEL,
          quality: 0.9,
          confidence: 0.96,
        },
      },
      [{ kind: common.MediaKind.MEDIA_KIND_FACE_CROP, contentType: 'image/png', bytes: faceCrop() }],
    );
  };
  const report = (region: 'ALA' | 'AST', category: string, text: string) => async () => {
    const camera =
      (region === 'ALA' ? cast.plates.ALA! : cast.plates.AST!)[3 + (sequence % 5)] ??
      cast.plates[region]![0]!;
    const token = await issuer.issue({
      subject: 'egov-gateway',
      roles: ['service'],
      regions: [region],
      ttlSeconds: 300,
    });
    await call(urls.incidents, token, '/citizen-reports', {
      channel: 'egov',
      channelReportId: `demo-${run}-${++sequence}`,
      category,
      text,
      location: { lat: camera.location.lat + 0.0007, lon: camera.location.lon - 0.0005 },
      address: camera.address ?? undefined,
      regionCode: region,
      time: new Date().toISOString(),
    });
  };
  /** Every demo video system reports its cameras; the outage camera reports video loss while it is out. */
  const heartbeat = async () => {
    for (const [systemId, cameras] of cast.all) {
      const response = await fetch(`${urls.cameraRegistry}/video-systems/${systemId}/heartbeats`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': cast.keys.get(systemId)! },
        body: JSON.stringify({
          cameras: cameras.map((c) =>
            offline.has(c.id)
              ? { externalId: c.externalId, status: 'fault', detail: 'video loss' }
              : { externalId: c.externalId },
          ),
        }),
      });
      if (!response.ok) throw new Error(`heartbeat: ${response.status} ${await response.text()}`);
    }
  };
  const outage = (down: boolean) => async () => {
    if (down) offline.add(cast.outage.id);
    else offline.delete(cast.outage.id);
    await heartbeat();
  };

  const steps: (() => Promise<void>)[] = [
    plate('ALA', 0, '777KZA02', 'white', 'Toyota'),
    behaviour(cast.fight, 'fight', 3),
    report('ALA', 'public-order', 'Loud fight in the courtyard, several people involved'),
    plate('ALA', 1, '777KZA02', 'white', 'Toyota'),
    face(0),
    outage(true),
    plate('AST', 0, '123A8C02', 'silver', 'Hyundai'),
    behaviour(cast.fall, 'fall', 1),
    plate('ALA', 2, '909XYZ1', 'black', 'Lexus'),
    report('AST', 'infrastructure', 'Street lights are off along the whole block'),
    face(1),
    outage(false),
    plate('ALA', 3, '555BBB17', 'red', 'Kia'),
  ];

  let stopped = false;
  let current: Promise<void> = Promise.resolve();
  const step = () => {
    if (stopped) return;
    const next = steps[sent % steps.length]!;
    sent++;
    current = next().catch((error: unknown) => options.onError?.(error));
  };
  // Cameras come online at once, then the first incident follows within seconds.
  await heartbeat().catch((error: unknown) => options.onError?.(error));
  const first = setTimeout(step, 2_000);
  const timer = setInterval(step, options.intervalSeconds * 1000);
  const beat = setInterval(
    () => void heartbeat().catch((error: unknown) => options.onError?.(error)),
    30_000,
  );
  for (const t of [first, timer, beat]) t.unref();
  return {
    get sent() {
      return sent;
    },
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      clearInterval(beat);
      await current;
    },
  };
}
