import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { common, EventTypes, recognition, Topics } from '@safecity/contracts';
import { CeHeader } from '@safecity/messaging';
import { RegionScope } from '@safecity/security';
import { eventually } from '@safecity/testing';
import type { DirectoryCamera } from '../src/camera-directory/camera-directory.repository';
import { FaceMatchAnalyser } from '../src/faces/face-match.analyser';
import { DetectionIngestService } from '../src/ingestion/pipeline/detection-ingest.service';
import { FaceTemplateStore } from '../src/pipeline/face-template-store';
import {
  detectionAt,
  inAWeek,
  recognitionClient,
  startMatchingWorld,
  type MatchingWorld,
} from './matching-harness';
import { randomVectors } from './random-vectors';

const DIMS = 512;
const MODEL = 'arcface-r100@1.2';

function generator(seed: number) {
  const vectors = randomVectors(seed);
  return () => vectors(DIMS);
}

/** Every way a vector's content could have been written out: raw bytes, hex, base64, its numbers. */
function traces(vector: Float32Array): string[] {
  const bytes = Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
  return [
    bytes.subarray(0, 32).toString('hex'),
    bytes.subarray(64, 96).toString('hex'),
    bytes.subarray(0, 48).toString('base64'),
    bytes.subarray(96, 144).toString('base64'),
    String(vector[0]),
    String(vector[7]),
    vector[3].toFixed(7),
  ];
}

describe('face watchlists: 1:N matching, two-person verification, nothing kept of strangers', () => {
  let world: MatchingWorld;
  let clock = Date.now();
  let analyser: FaceMatchAnalyser;
  let store: FaceTemplateStore;
  let almaty: DirectoryCamera;
  let astana: DirectoryCamera;
  let listId: string;
  const random = generator(42);
  const wanted = random();
  const mediaDirectory = join(mkdtempSync(join(tmpdir(), 'recognition-faces-')), 'media');

  beforeAll(async () => {
    world = await startMatchingWorld(
      'recfaces',
      { faces: { now: () => new Date(clock) } },
      { media: { directory: mediaDirectory } },
    );
    analyser = world.service.app.get(FaceMatchAnalyser);
    store = world.service.app.get(FaceTemplateStore);
    almaty = await world.camera('ALA');
    astana = await world.camera('AST');
    const keeper = await world.as('supervisor', ['ALA'], 'keeper-ala');
    const { body } = await keeper
      .post('/watchlists')
      .send({
        kind: 'face',
        name: 'Wanted, Almaty',
        regionCode: 'ALA',
        category: 'wanted',
        threshold: 0.6,
        legalBasis: 'Court order 2-77/2026',
        owner: 'ALA police, search unit',
      })
      .expect(201);
    listId = body.id;
  });

  afterAll(async () => {
    await world?.close();
  });

  async function enrol(vector: Float32Array, extra: Record<string, unknown> = {}) {
    const keeper = await world.as('supervisor', ['ALA'], 'keeper-ala');
    const { body } = await keeper
      .post(`/watchlists/${listId}/subjects`)
      .send({
        subjectRef: `case-77/person-${Math.floor(Math.random() * 1e6)}`,
        legalBasis: 'Court order 2-77/2026',
        owner: 'ALA police',
        expiresAt: inAWeek(),
        templates: [{ model: MODEL, vector: Array.from(vector) }],
        ...extra,
      })
      .expect(201);
    return body as { id: string; templates: { id: string; model: string; dimensions: number }[] };
  }

  /** The same person seen again: the enrolled template plus capture noise. */
  function sighting(of: Float32Array, noise = 0.35) {
    const n = random();
    return of.map((x, i) => x + noise * n[i]);
  }

  function faceDetection(camera: DirectoryCamera, vector: Float32Array, model = MODEL) {
    const templateRef = store.put({ vector, model });
    return detectionAt(camera, {
      face: recognition.FaceObservation.fromPartial({
        templateRef,
        templateModel: model,
        quality: 0.9,
        confidence: 0.97,
      }),
    });
  }

  async function matchOf(detectionId: string) {
    const [row] = await world.sql(
      `SELECT id, status, detail FROM recognition.matches WHERE detection_id = $1`,
      [detectionId],
    );
    return row
      ? {
          id: row.id as string,
          status: row.status as string,
          match: recognition.FaceMatch.decode(row.detail),
        }
      : undefined;
  }

  let subjectId: string;

  it('enrols subjects with sealed templates and never shows a vector back', async () => {
    const subject = await enrol(wanted);
    subjectId = subject.id;
    expect(subject.templates).toEqual([expect.objectContaining({ model: MODEL, dimensions: DIMS })]);
    const keeper = await world.as('supervisor', ['ALA'], 'keeper-ala');
    const { body } = await keeper
      .get(`/face-entries/${subject.id}`)
      .set('x-purpose', 'annual review')
      .expect(200);
    expect(JSON.stringify(body)).not.toContain('vector');
    const [row] = await world.sql(`SELECT sealed FROM recognition.face_templates WHERE entry_id = $1`, [
      subject.id,
    ]);
    const text = (row.sealed as Buffer).toString('hex') + (row.sealed as Buffer).toString('base64');
    for (const trace of traces(wanted).slice(0, 4)) expect(text).not.toContain(trace);
    const [audit] = await world.sql(
      `SELECT purpose, legal_basis FROM recognition.audit_log WHERE object_id = $1 AND action = 'read'`,
      [subject.id],
    );
    expect(audit).toEqual({ purpose: 'annual review', legal_basis: 'Court order 2-77/2026' });
  });

  it('refuses templates of another size for a known model, and zero vectors', async () => {
    const keeper = await world.as('supervisor', ['ALA'], 'keeper-ala');
    const short = await keeper
      .post(`/watchlists/${listId}/subjects`)
      .send({
        subjectRef: 'x-1',
        legalBasis: 'Order 1',
        owner: 'o',
        expiresAt: inAWeek(),
        templates: [{ model: MODEL, vector: Array(128).fill(0.1) }],
      })
      .expect(422);
    expect(short.body.problems[0].field).toBe('templates.0.vector');
    await keeper
      .post(`/watchlists/${listId}/subjects`)
      .send({
        subjectRef: 'x-1',
        legalBasis: 'Order 1',
        owner: 'o',
        expiresAt: inAWeek(),
        templates: [{ model: 'other@1', vector: Array(64).fill(0) }],
      })
      .expect(422);
    const bad = await keeper
      .post(`/watchlists/${listId}/subjects`)
      .send({
        subjectRef: 'x 1',
        legalBasis: 'Order 1',
        owner: 'o',
        expiresAt: inAWeek(),
        templates: [{ model: 'nomodel', vector: ['a'] }],
      })
      .expect(400);
    expect(bad.body.problems.map((p: { field: string }) => p.field)).toEqual(
      expect.arrayContaining(['subjectRef', 'templates.0.model', 'templates.0.vector']),
    );
  });

  it('matches a sighting of an enrolled person, takes the probe out of the store, and publishes FaceMatched', async () => {
    const accepted = faceDetection(almaty, sighting(wanted));
    const ref = accepted.detection.face!.templateRef;
    await world.analyse([analyser], [accepted]);
    expect(store.take(ref)).toBeNull();
    const found = await matchOf(accepted.detection.id);
    expect(found?.status).toBe('pending-verification');
    expect(found?.match).toMatchObject({
      templateModel: MODEL,
      threshold: 0.6,
      requiredConfirmations: 2,
      probeTemplateRef: '',
    });
    expect(found?.match.candidates[0]).toMatchObject({
      entryId: subjectId,
      watchlistId: listId,
      rank: 1,
      category: recognition.WatchlistCategory.WATCHLIST_CATEGORY_WANTED,
      legalBasisRef: 'Court order 2-77/2026',
    });
    expect(found!.match.candidates[0].score).toBeGreaterThanOrEqual(0.6);
    const record = await eventually(() => world.published.find((r) => r.key === found!.id), {
      message: 'FaceMatched',
    });
    expect(record.headers[CeHeader.Type]).toBe(EventTypes.FaceMatched);
  });

  it('keeps the probe of a batch whose transaction fails, so that its retry still finds the match', async () => {
    const accepted = faceDetection(almaty, sighting(wanted));
    const ref = accepted.detection.face!.templateRef;
    const failure = new Error('the storing transaction failed after analysis');
    await expect(
      world.access.run(RegionScope.allRegions(), async (manager) => {
        await analyser.analyse([accepted], manager);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await matchOf(accepted.detection.id)).toBeUndefined();
    expect(store.peek(ref)).not.toBeNull();

    await world.analyse([analyser], [accepted]);
    const found = await matchOf(accepted.detection.id);
    expect(found?.match.candidates[0]).toMatchObject({ entryId: subjectId });
    expect(store.peek(ref)).toBeNull();
    await eventually(() => world.published.find((r) => r.key === found!.id), { message: 'FaceMatched' });
  });

  it('compares same-model templates only, and only in the regions an entry is for', async () => {
    const otherModel = faceDetection(almaty, sighting(wanted), 'facenet@2');
    const elsewhere = faceDetection(astana, sighting(wanted));
    await world.analyse([analyser], [otherModel, elsewhere]);
    expect(await matchOf(otherModel.detection.id)).toBeUndefined();
    expect(await matchOf(elsewhere.detection.id)).toBeUndefined();
  });

  it('writes nothing of a face that matches nothing: no row, no event, no log line carries its template', async () => {
    const stranger = random();
    const accepted = faceDetection(almaty, stranger);
    const published = world.published.length;
    const written: string[] = [];
    const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      await world.analyse([analyser], [accepted]);
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    expect(store.size).toBe(0);
    expect(await matchOf(accepted.detection.id)).toBeUndefined();
    expect(world.published.length).toBe(published);

    const tables: { table_name: string }[] = await world.sql(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'recognition' AND table_type = 'BASE TABLE'`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['outbox', 'matches', 'audit_log', 'face_templates']),
    );
    let dump = '';
    for (const { table_name } of tables) {
      const rows: { row: string }[] = await world.sql(
        `SELECT t::text AS row FROM recognition."${table_name}" t`,
      );
      dump += rows.map((r) => r.row).join('\n');
    }
    // bytea renders as hex in row text; base64 covers text columns holding encoded bytes.
    const busDump = world.published
      .map((r) => r.value.toString('hex') + r.value.toString('base64') + r.value.toString('latin1'))
      .join('\n');
    for (const trace of traces(stranger)) {
      expect(dump).not.toContain(trace);
      expect(busDump).not.toContain(trace);
      expect(written.join('')).not.toContain(trace);
    }
    // The check can fail: the enrolled person's detection did leave a match, which names them.
    expect(dump).toContain(subjectId);
  });

  it('needs two different people to confirm a face match', async () => {
    const accepted = faceDetection(almaty, sighting(wanted));
    await world.analyse([analyser], [accepted]);
    const { id } = (await matchOf(accepted.detection.id))!;
    const first = await world.as('operator', ['ALA'], 'op-1');
    const second = await world.as('supervisor', ['ALA'], 'sup-2');
    const once = await first.post(`/matches/${id}/verifications`).send({ verdict: 'confirmed' }).expect(200);
    expect(once.body).toEqual({ status: 'partially-confirmed', confirmations: 1, requiredConfirmations: 2 });
    await first.post(`/matches/${id}/verifications`).send({ verdict: 'confirmed' }).expect(409);
    const client = recognitionClient(world.grpcUrl);
    try {
      const token = await world.identity.token('supervisor', ['ALA'], 'sup-2');
      const done = await client.call<{ status: number; confirmations: number }>(
        'VerifyMatch',
        {
          matchId: id,
          verdict: recognition.VerificationVerdict.VERIFICATION_VERDICT_CONFIRMED,
          purpose: 'search op 5',
        },
        token,
      );
      expect(done).toMatchObject({
        status: recognition.MatchStatus.MATCH_STATUS_CONFIRMED,
        confirmations: 2,
      });
      const got = await client.call<{ faceMatch: { verifications: unknown[] } }>('GetMatch', { id }, token);
      expect(got.faceMatch.verifications).toHaveLength(2);
    } finally {
      client.close();
    }
    await second.post(`/matches/${id}/verifications`).send({ verdict: 'confirmed' }).expect(409);
    const statuses = await eventually(
      () => {
        const events = world.published
          .filter(
            (r) =>
              r.topic === Topics.Matches &&
              r.key === id &&
              r.headers[CeHeader.Type] === EventTypes.MatchStatusChanged,
          )
          .map((r) => recognition.MatchStatusChanged.decode(r.value).status);
        return events.length === 2 ? events : undefined;
      },
      { message: 'two status changes' },
    );
    expect(statuses).toEqual([
      recognition.MatchStatus.MATCH_STATUS_PARTIALLY_CONFIRMED,
      recognition.MatchStatus.MATCH_STATUS_CONFIRMED,
    ]);
  });

  it("follows a change of the list's threshold at once", async () => {
    const keeper = await world.as('supervisor', ['ALA'], 'keeper-ala');
    await keeper.patch(`/watchlists/${listId}`).send({ threshold: 0.99 }).expect(200);
    try {
      const blurred = faceDetection(almaty, sighting(wanted));
      await world.analyse([analyser], [blurred]);
      expect(await matchOf(blurred.detection.id)).toBeUndefined();
    } finally {
      await keeper.patch(`/watchlists/${listId}`).send({ threshold: 0.6 }).expect(200);
    }
    const clear = faceDetection(almaty, sighting(wanted));
    await world.analyse([analyser], [clear]);
    expect(await matchOf(clear.detection.id)).toBeDefined();
  });

  it('never matches an expired subject, and forgets an erased one', async () => {
    const soon = random();
    const expiring = await enrol(soon, { expiresAt: new Date(Date.now() + 60_000).toISOString() });
    const inTime = faceDetection(almaty, sighting(soon));
    await world.analyse([analyser], [inTime]);
    expect(await matchOf(inTime.detection.id)).toBeDefined();
    clock = Date.now() + 61_000;
    try {
      const late = faceDetection(almaty, sighting(soon));
      await world.analyse([analyser], [late]);
      expect(await matchOf(late.detection.id)).toBeUndefined();
    } finally {
      clock = Date.now();
    }
    const keeper = await world.as('supervisor', ['ALA'], 'keeper-ala');
    await keeper.delete(`/face-entries/${expiring.id}`).expect(204);
    expect(
      await world.sql(`SELECT 1 FROM recognition.face_templates WHERE entry_id = $1`, [expiring.id]),
    ).toEqual([]);
    const after = faceDetection(almaty, sighting(soon));
    await world.analyse([analyser], [after]);
    expect(await matchOf(after.detection.id)).toBeUndefined();
  });

  it('finds an in-scope person however many entries of another region resemble the probe more', async () => {
    const person = random();
    const keeperAst = await world.as('supervisor', ['AST'], 'keeper-ast');
    const { body: astList } = await keeperAst
      .post('/watchlists')
      .send({
        kind: 'face',
        name: 'Lookalikes, Astana',
        regionCode: 'AST',
        category: 'wanted',
        threshold: 0.6,
        legalBasis: 'Court order 3-12/2026',
        owner: 'AST police',
      })
      .expect(201);
    // More lookalikes than a search re-ranks, each nearer the probe than the enrolment is; all
    // for Astana, so out of scope of a camera in Almaty.
    for (let i = 0; i < 80; i++) {
      await keeperAst
        .post(`/watchlists/${astList.id}/subjects`)
        .send({
          subjectRef: `lookalike-${i}`,
          legalBasis: 'Court order 3-12/2026',
          owner: 'AST police',
          expiresAt: inAWeek(),
          templates: [{ model: MODEL, vector: Array.from(sighting(person, 0.05)) }],
        })
        .expect(201);
    }
    const inScope = await enrol(sighting(person, 0.3));
    const probe = faceDetection(almaty, sighting(person, 0.05));
    await world.analyse([analyser], [probe]);
    const found = await matchOf(probe.detection.id);
    expect(found?.match.candidates.map((c) => c.entryId)).toEqual([inScope.id]);
    const inAstana = faceDetection(astana, sighting(person, 0.05));
    await world.analyse([analyser], [inAstana]);
    const there = await matchOf(inAstana.detection.id);
    expect(there?.match.candidates).toHaveLength(5);
    expect(there?.match.candidates.map((c) => c.entryId)).not.toContain(inScope.id);
  });

  it('keeps face pictures only as the evidence of a match: 0600 files, read by face-match reviewers, every read audited', async () => {
    const person = random();
    await enrol(person);
    const pipeline = world.service.app.get(DetectionIngestService);
    const pictures = (label: string) => [
      {
        kind: common.MediaKind.MEDIA_KIND_FACE_CROP,
        contentType: 'image/jpeg',
        bytes: Buffer.from(`face ${label}`),
      },
      {
        kind: common.MediaKind.MEDIA_KIND_SNAPSHOT,
        contentType: 'image/jpeg',
        bytes: Buffer.from(`scene ${label}`),
      },
    ];
    const candidate = (vendorEventId: string, vector: Float32Array) => ({
      vendorEventId,
      cameraExternalId: almaty.externalId,
      observedAt: new Date(Date.now() - 1_000),
      kind: recognition.DetectionKind.DETECTION_KIND_FACE,
      frameBox: null,
      media: [],
      face: { template: { vector, model: MODEL }, quality: 0.9, confidence: 0.97 },
      pictures: pictures(vendorEventId),
    });
    const source = { videoSystemId: almaty.videoSystemId, regionCode: 'ALA', adapter: 'hikvision' as const };

    // A passer-by who matches nothing: none of the pictures is written anywhere.
    const stranger = await pipeline.ingest(source, [candidate('stranger-1', random())]);
    expect(stranger).toMatchObject({ accepted: 1 });
    const strangerId = stranger.detections[0]!.id!;
    expect(await matchOf(strangerId)).toBeUndefined();
    expect(
      await world.sql('SELECT id FROM recognition.media_objects WHERE detection_id = $1', [strangerId]),
    ).toEqual([]);
    expect(existsSync(mediaDirectory) ? readdirSync(mediaDirectory) : []).toEqual([]);

    // The person on the list: the pictures become the match's evidence.
    const seen = await pipeline.ingest(source, [candidate('wanted-1', sighting(person, 0.2))]);
    const seenId = seen.detections[0]!.id!;
    const found = await matchOf(seenId);
    expect(found?.match.media.map((m) => m.kind)).toEqual([
      common.MediaKind.MEDIA_KIND_FACE_CROP,
      common.MediaKind.MEDIA_KIND_SNAPSHOT,
    ]);
    const files = readdirSync(mediaDirectory);
    expect(files).toHaveLength(2);
    expect(statSync(mediaDirectory).mode & 0o777).toBe(0o700);
    for (const file of files) expect(statSync(join(mediaDirectory, file)).mode & 0o777).toBe(0o600);
    const [detectionRow] = await world.sql('SELECT payload FROM recognition.detections WHERE id = $1', [
      seenId,
    ]);
    expect(recognition.Detection.decode(detectionRow.payload).media).toEqual([]);

    const uri = found!.match.media[0]!.uri;
    for (const [roles, regions, expected] of [
      ['operator', ['ALA'], 200],
      ['supervisor', ['ALA'], 200],
      ['admin', 'all', 200],
      ['operator', ['AST'], 404],
      ['analyst', ['ALA'], 404],
      ['region-admin', ['ALA'], 404],
    ] as const) {
      const res = await (await world.as(roles, regions as never, `reader-${roles}`)).get(uri);
      expect([roles, regions, res.status]).toEqual([roles, regions, expected]);
    }
    const reads = await world.sql(
      `SELECT actor_subject, action, purpose, legal_basis FROM recognition.audit_log WHERE object_type = 'media' AND object_id = $1 ORDER BY seq`,
      [uri.slice('/media/'.length)],
    );
    expect(reads.map((r) => r.actor_subject)).toEqual([
      'reader-operator',
      'reader-supervisor',
      'reader-admin',
    ]);
    expect(reads.every((r) => r.action === 'read' && r.purpose && r.legal_basis)).toBe(true);
  });
});
