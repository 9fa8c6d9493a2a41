import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { recognition } from '@safecity/contracts';
import { InProcessBus } from '@safecity/messaging';
import { API_KEY_AUTHENTICATOR, type ApiKeyAuthenticator } from '@safecity/security';
import type { RunningServiceApp } from '@safecity/service-kit';
import { createTestDatabase, createTestIdentity, type TestIdentity } from '@safecity/testing';
import { Client } from 'pg';
import request from 'supertest';
import { INGEST_BODY_LIMITS } from '../src/ingestion/body-limits';
import { PARSERS } from '../src/ingestion/parsers';
import { INGEST_KEY_RATE_LIMIT } from '../src/recognition.module';
import { largestJsonBatch, largestProtobufBatch } from './largest-batches';
import { issueKey, publishCamera, startTestRecognition, testCamera } from './support';

const MiB = 1024 * 1024;

/** Sends the head of a request and `sent` bytes of its announced body; resolves with the answer. */
function answerToPartialBody(
  url: string,
  path: string,
  headers: Record<string, string>,
  announced: number,
  sent: number,
  waitMs: number,
): Promise<{ status: number; body: string; sentAll: boolean } | 'no answer'> {
  return new Promise((resolve) => {
    const req = httpRequest(`${url}${path}`, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(announced) },
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve('no answer');
    }, waitMs);
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body, sentAll: false });
      });
    });
    // The server may close once it answered; the rest of the body is never sent.
    req.on('error', () => undefined);
    req.write(Buffer.alloc(sent, 0x41));
  });
}

describe('the ingest edge: authentication before the body, limits, timeouts, rates', () => {
  let db: { url: string; drop(): Promise<void> };
  let identity: TestIdentity;
  let service: RunningServiceApp;
  let bus: InProcessBus;
  let pg: Client;
  let key: string;
  const camera = testCamera({ privacyMasks: [] });

  beforeAll(async () => {
    db = await createTestDatabase('ingestedge');
    identity = await createTestIdentity();
    bus = new InProcessBus();
    service = await startTestRecognition(
      db.url,
      identity,
      { kind: 'in-process', bus },
      // A short grace, so a trickled body is cut off within the test's patience.
      { http: { port: 0, bodyDeadline: { graceMs: 1_500 } } },
    );
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    await publishCamera(bus, pg, camera);
    key = await issueKey(service, camera.videoSystemId);
  });

  afterAll(async () => {
    await pg?.end();
    await service?.close();
    await db?.drop();
  });

  it('answers 401 to a body of 30 MB announced, 1 MB sent, without a valid key, before the rest arrives', async () => {
    for (const headers of [
      { 'content-type': 'application/x-protobuf' } as Record<string, string>,
      { 'content-type': 'application/x-protobuf', 'x-api-key': 'sc_aaaaaaaaaaaa_not-a-key' },
    ]) {
      const answer = await answerToPartialBody(
        service.httpUrl,
        '/ingest/v1/detections',
        headers,
        30 * MiB,
        MiB,
        10_000,
      );
      expect(answer).toMatchObject({ status: 401 });
      if (answer !== 'no answer') expect(JSON.parse(answer.body).message).toBe('missing or invalid API key');
    }
  });

  it('answers 413 naming the limit at once when a valid key announces more than its format takes', async () => {
    const answer = await answerToPartialBody(
      service.httpUrl,
      '/ingest/v1/detections',
      { 'content-type': 'application/x-protobuf', 'x-api-key': key },
      INGEST_BODY_LIMITS.canonicalProtobuf + 1,
      64 * 1024,
      10_000,
    );
    expect(answer).toMatchObject({ status: 413 });
    if (answer !== 'no answer') {
      expect(JSON.parse(answer.body).problems).toEqual([
        { field: 'body', reason: `must be at most ${INGEST_BODY_LIMITS.canonicalProtobuf} bytes` },
      ]);
    }
  });

  it('refuses a protobuf batch of more than 1,000 detections with 413 naming the cap', async () => {
    const body = Buffer.alloc(2 * 1001);
    for (let i = 0; i < body.length; i += 2) body[i] = 0x0a;
    const res = await request(service.httpUrl)
      .post('/ingest/v1/detections')
      .set('x-api-key', key)
      .set('content-type', 'application/x-protobuf')
      .serialize((raw: unknown) => raw as string)
      .send(body)
      .expect(413);
    expect(res.body.problems).toEqual([{ field: 'detections', reason: 'must hold at most 1000 detections' }]);
  });

  it('sizes the canonical limits to the largest valid batch of 1,000 with a margin under 15%', () => {
    for (const [bytes, limit, type] of [
      [largestProtobufBatch(), INGEST_BODY_LIMITS.canonicalProtobuf, 'application/x-protobuf'],
      [largestJsonBatch(), INGEST_BODY_LIMITS.canonicalJson, 'application/json'],
    ] as const) {
      expect(bytes.length).toBeLessThanOrEqual(limit);
      expect(limit / bytes.length).toBeLessThan(1.15);
      expect(PARSERS.canonical(bytes, type).candidates).toHaveLength(1000);
    }
  });

  it('answers a path in other letter case as no route (404), like any unknown path, not 500', async () => {
    const body = {
      vendorEventId: 'case-1',
      cameraExternalId: camera.externalId,
      observedAt: new Date().toISOString(),
      kind: 'behaviour',
      behaviour: { type: 'fight', confidence: 0.9 },
    };
    for (const path of ['/INGEST/v1/detections', '/Ingest/V1/detections', '/ingest/v1/DETECTIONS']) {
      await request(service.httpUrl).post(path).set('x-api-key', key).send(body).expect(404);
    }
    await request(service.httpUrl)
      .post('/ingest/v1/detections/')
      .set('x-api-key', key)
      .send(body)
      .expect(200);
  });

  it('cuts off a body trickled in a byte at a time with 408', async () => {
    const port = Number(new URL(service.httpUrl).port);
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      'POST /ingest/v1/detections HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\n' +
        `x-api-key: ${key}\r\ncontent-length: 1000\r\n\r\n{`,
    );
    const closed = new Promise<boolean>((resolve) => socket.once('close', () => resolve(true)));
    const trickle = setInterval(() => socket.writable && socket.write(' '), 200);
    const outcome = await Promise.race([
      closed,
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 20_000)),
    ]);
    clearInterval(trickle);
    socket.destroy();
    expect(outcome).toBe(true);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('limits an ingest key to 100 requests at once and 50 a second, as the README states', async () => {
    expect(INGEST_KEY_RATE_LIMIT).toEqual({ capacity: 100, refillPerSecond: 50 });
    const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
    expect(readme.replace(/\s+/g, ' ')).toContain(
      'ingest keys alike: 429 with `Retry-After` past 100 requests burst / 50 per second per key',
    );
    const fresh = await issueKey(service, camera.videoSystemId);
    const authenticator = service.app.get<ApiKeyAuthenticator>(API_KEY_AUTHENTICATOR);
    const outcomes: boolean[] = [];
    // Cached after the first, each takes microseconds: far less than one refill (20 ms) for all.
    for (let i = 0; i < 101; i++) outcomes.push((await authenticator.authenticate(fresh)).ok);
    expect(outcomes.slice(0, 100).every(Boolean)).toBe(true);
    expect(outcomes[100]).toBe(false);
    // A token comes back every 20 ms, and a busy machine may take longer than that to deliver one
    // request: twenty at once outrun the refill unless they take 400 ms, and those refused must
    // say when to come back.
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        request(service.httpUrl).post('/ingest/v1/detections').set('x-api-key', fresh).send({}),
      ),
    );
    const refused = answers.filter((answer) => answer.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) expect(answer.headers['retry-after']).toBe('1');
    for (const answer of answers) expect([400, 429]).toContain(answer.status);
  });

  it('reads a face template as an array of numbers, as protobuf and enrolment take it, and still as base64', () => {
    const vector = Array.from({ length: 128 }, (_, i) => Math.fround(Math.sin(i) / 10));
    const face = (template: unknown) =>
      Buffer.from(
        JSON.stringify({
          vendorEventId: 'face-1',
          cameraExternalId: camera.externalId,
          observedAt: new Date().toISOString(),
          kind: 'face',
          face: { template, templateModel: 'arcface-r100@1', quality: 0.9, confidence: 0.95 },
        }),
      );
    const base64 = Buffer.from(Float32Array.from(vector).buffer).toString('base64');
    const proto = recognition.DetectionSubmission.encode({
      vendorEventId: 'face-1',
      cameraExternalId: camera.externalId,
      observedAt: new Date(),
      kind: recognition.DetectionKind.DETECTION_KIND_FACE,
      frameBox: null,
      media: [],
      face: { template: vector, templateModel: 'arcface-r100@1', quality: 0.9, confidence: 0.95 },
    }).finish();
    const read = [
      PARSERS.canonical(face(vector), 'application/json'),
      PARSERS.canonical(face(base64), 'application/json'),
      PARSERS.canonical(
        Buffer.from(proto),
        'application/x-protobuf; proto=safecity.recognition.v1.DetectionSubmission',
      ),
    ].map((parsed) => Array.from(parsed.candidates[0]!.face!.template!.vector));
    expect(read[0]).toEqual(vector);
    expect(read[1]).toEqual(vector);
    expect(read[2]).toEqual(vector);
    for (const bad of [
      vector.slice(0, 10),
      [...vector.slice(0, 127), 'x'],
      [...vector.slice(0, 127), 1e39],
    ]) {
      expect(() => PARSERS.canonical(face(bad), 'application/json')).toThrow(/face\.template/);
    }
  });
});
