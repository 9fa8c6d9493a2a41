import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from '@safecity/persistence';
import type { Role } from '@safecity/security';
import { loadConfig } from '@safecity/service-kit';
import { createTestDatabase, eventually } from '@safecity/testing';
import request from 'supertest';
import { AllInOneConfig } from '../src/config';
import { startPlatform, type RunningPlatform } from '../src/platform';

const MODEL = 'arcface-r100@1.2';

/** A unit vector of 512 numbers from a seed: one person's face template. */
function faceOf(seed: number): number[] {
  let x = seed;
  const values = Array.from({ length: 512 }, () => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return x / 2_147_483_648 - 0.5;
  });
  const norm = Math.hypot(...values);
  return values.map((v) => v / norm);
}

/**
 * A face match is confirmed once, by two different people, wherever each of them confirms it:
 * in recognition (`POST /matches/:id/verifications`) or by verifying its incident in incidents.
 * The same person twice is refused, whichever two places they try.
 */
describe('one two-person confirmation of a face match, across recognition and incidents', () => {
  let db: { url: string; drop(): Promise<void> };
  let platform: RunningPlatform;
  let recognitionUrl: string;
  let incidentsUrl: string;
  let ingestKey: string;
  let watchlistId: string;

  const bearer = async (subject: string, role: Role = 'operator') =>
    `Bearer ${await platform.issuer.issue({ subject, roles: [role], regions: ['ALA'] })}`;

  beforeAll(async () => {
    db = await createTestDatabase('faceconfirm');
    platform = await startPlatform(
      loadConfig(AllInOneConfig, {
        DATA_DIR: mkdtempSync(join(tmpdir(), 'safecity-faceconfirm-')),
        DATABASE_URL: db.url,
        CAMERA_REGISTRY_HTTP_PORT: '0',
        RECOGNITION_HTTP_PORT: '0',
        INCIDENTS_HTTP_PORT: '0',
        PREVENTION_HTTP_PORT: '0',
        CAMERA_REGISTRY_GRPC_PORT: String(await freeLoopbackPort()),
        RECOGNITION_GRPC_PORT: String(await freeLoopbackPort()),
        INCIDENTS_GRPC_PORT: String(await freeLoopbackPort()),
        PREVENTION_GRPC_PORT: String(await freeLoopbackPort()),
      }),
    );
    const [registryUrl, recognition, incidents] = platform.services.map((s) => s.httpUrl);
    recognitionUrl = recognition!;
    incidentsUrl = incidents!;
    const admin = `Bearer ${await platform.issuer.issue({ subject: 'admin', roles: ['admin'], regions: 'all' })}`;
    const system = await request(registryUrl!)
      .post('/video-systems')
      .set('authorization', admin)
      .send({
        regionCode: 'ALA',
        name: 'Almaty faces',
        vendor: 'hikvision',
        ingestionMethod: 'canonical-push',
      })
      .expect(201);
    const camera = await request(registryUrl!)
      .post('/cameras')
      .set('authorization', admin)
      .send({
        videoSystemId: system.body.id,
        externalId: 'face-cam-1',
        name: 'Central station, hall',
        location: { lat: 43.26, lon: 76.94 },
        capabilities: ['faces'],
      })
      .expect(201);
    await eventually(
      async () =>
        (await request(recognitionUrl).get(`/camera-directory/${camera.body.id}`).set('authorization', admin))
          .body.source === 'read-model',
      { message: 'camera in recognition’s directory' },
    );
    ingestKey = (
      await request(recognitionUrl)
        .post(`/video-systems/${system.body.id}/ingest-keys`)
        .set('authorization', admin)
        .send({ regionCode: 'ALA', label: 'faces' })
        .expect(201)
    ).body.apiKey;
    watchlistId = (
      await request(recognitionUrl)
        .post('/watchlists')
        .set('authorization', await bearer('keeper', 'supervisor'))
        .send({
          kind: 'face',
          name: 'Wanted, Almaty',
          regionCode: 'ALA',
          category: 'wanted',
          threshold: 0.6,
          legalBasis: 'Court order 2-77/2026',
          owner: 'ALA police, search unit',
        })
        .expect(201)
    ).body.id;
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    await db?.drop();
  }, 60_000);

  /** A wanted person is enrolled and seen: the face match and the incident it opened. */
  async function sighting(seed: number): Promise<{ matchId: string; incidentId: string }> {
    const face = faceOf(seed);
    await request(recognitionUrl)
      .post(`/watchlists/${watchlistId}/subjects`)
      .set('authorization', await bearer('keeper', 'supervisor'))
      .send({
        subjectRef: `case-77/person-${seed}`,
        legalBasis: 'Court order 2-77/2026',
        owner: 'ALA police',
        expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        templates: [{ model: MODEL, vector: face }],
      })
      .expect(201);
    const template = Buffer.from(new Float32Array(face).buffer).toString('base64');
    const reader = await bearer('reader', 'supervisor');
    // The matcher takes up a new entry within moments: seen again until it matches.
    const match = await eventually(
      async () => {
        await request(recognitionUrl)
          .post('/ingest/v1/detections')
          .set('x-api-key', ingestKey)
          .send({
            vendorEventId: `face-${randomUUID()}`,
            cameraExternalId: 'face-cam-1',
            observedAt: new Date().toISOString(),
            kind: 'face',
            face: { template, templateModel: MODEL, quality: 0.9, confidence: 0.97 },
          })
          .expect(200);
        const items = (
          await request(recognitionUrl)
            .get('/matches?kind=face&limit=100')
            .set('authorization', reader)
            .set('x-purpose', 'test of the confirmation')
        ).body.items as { id: string; candidates: { subjectRef: string }[] }[];
        return items.find((m) => m.candidates[0]?.subjectRef === `case-77/person-${seed}`);
      },
      { message: 'a face match', intervalMs: 500 },
    );
    const incident = await eventually(() => incidentOf(match.id), {
      message: 'the incident of the face match',
    });
    return { matchId: match.id, incidentId: incident };
  }

  async function incidentOf(matchId: string): Promise<string | undefined> {
    const items = (
      await request(incidentsUrl)
        .get('/incidents?sourceKind=face-match&limit=100')
        .set('authorization', await bearer('dispatcher'))
    ).body.items as { id: string }[];
    for (const item of items) {
      const detail = (
        await request(incidentsUrl)
          .get(`/incidents/${item.id}`)
          .set('authorization', await bearer('dispatcher'))
      ).body as { sources: { refId: string }[] };
      if (detail.sources.some((s) => s.refId === matchId)) return item.id;
    }
    return undefined;
  }

  const confirmInRecognition = async (matchId: string, subject: string) =>
    request(recognitionUrl)
      .post(`/matches/${matchId}/verifications`)
      .set('authorization', await bearer(subject))
      .send({ verdict: 'confirmed', comment: 'the face matches the photo' });
  const verifyIncident = async (incidentId: string, subject: string) =>
    request(incidentsUrl)
      .post(`/incidents/${incidentId}/transitions`)
      .set('authorization', await bearer(subject))
      .send({ to: 'verified', reason: 'the face matches the photo' });
  const incident = async (id: string) =>
    (
      await request(incidentsUrl)
        .get(`/incidents/${id}`)
        .set('authorization', await bearer('dispatcher'))
        .expect(200)
    ).body as { state: string; confirmations: { actor: string }[] };
  const matchStatus = async (id: string) =>
    (
      await request(recognitionUrl)
        .get(`/matches/${id}`)
        .set('authorization', await bearer('reader', 'supervisor'))
        .set('x-purpose', 'test of the confirmation')
        .expect(200)
    ).body.status as string;

  it('counts a confirmation in recognition, refuses the same person on the incident, and verifies with a second person', async () => {
    const { matchId, incidentId } = await sighting(1);
    expect((await confirmInRecognition(matchId, 'op-a')).status).toBe(200);
    await eventually(async () => (await incident(incidentId)).confirmations.some((c) => c.actor === 'op-a'), {
      message: 'the confirmation shown on the incident',
    });
    const again = await verifyIncident(incidentId, 'op-a');
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already verified this match/);
    expect((await incident(incidentId)).state).toBe('new');

    const second = await verifyIncident(incidentId, 'op-b');
    expect(second.status).toBe(200);
    expect(second.body.incident.state).toBe('verified');
    expect(await matchStatus(matchId)).toBe('MATCH_STATUS_CONFIRMED');
    expect((await incident(incidentId)).confirmations.map((c) => c.actor).sort()).toEqual(['op-a', 'op-b']);
  });

  it('counts a confirmation on the incident in recognition, refuses the same person there, and the incident follows the second', async () => {
    const { matchId, incidentId } = await sighting(2);
    const first = await verifyIncident(incidentId, 'op-c');
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({
      incident: { state: 'new' },
      verification: { confirmations: 1, required: 2 },
    });
    expect(await matchStatus(matchId)).toBe('MATCH_STATUS_PARTIALLY_CONFIRMED');
    expect((await confirmInRecognition(matchId, 'op-c')).status).toBe(409);
    expect((await verifyIncident(incidentId, 'op-c')).status).toBe(409);

    expect((await confirmInRecognition(matchId, 'op-d')).status).toBe(200);
    const verified = await eventually(
      async () => {
        const now = await incident(incidentId);
        return now.state === 'verified' ? now : undefined;
      },
      { message: 'the incident verified by the match’s confirmation' },
    );
    expect(verified.confirmations.map((c) => c.actor).sort()).toEqual(['op-c', 'op-d']);
  });
});
