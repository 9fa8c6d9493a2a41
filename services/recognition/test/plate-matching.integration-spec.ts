import { status } from '@grpc/grpc-js';
import { EventTypes, recognition } from '@safecity/contracts';
import { CeHeader } from '@safecity/messaging';
import { eventually } from '@safecity/testing';
import { PlateHotlistMatcher } from '../src/plates/plate-hotlist.matcher';
import { PlateMatchAnalyser } from '../src/plates/plate-match.analyser';
import { WatchlistChangeFeed } from '../src/watchlists/watchlist-change-feed';
import type { EntityManager, QueryRunner } from 'typeorm';
import { HotlistReasonNames1765100000000 } from '../src/migrations/1765100000000-hotlist-reason-names';
import type { DirectoryCamera } from '../src/camera-directory/camera-directory.repository';
import {
  detectionAt,
  inAWeek,
  recognitionClient,
  startMatchingWorld,
  type MatchingWorld,
} from './matching-harness';

describe('plate hotlists to matches, with human verification', () => {
  let world: MatchingWorld;
  let clock = Date.now();
  let analyser: PlateMatchAnalyser;
  let almaty: DirectoryCamera;
  let astana: DirectoryCamera;
  let hotlistId: string;

  beforeAll(async () => {
    world = await startMatchingWorld('recplates', {
      plates: { now: () => new Date(clock), oneEditMinConfidence: 0.8 },
    });
    analyser = world.service.app.get(PlateMatchAnalyser);
    almaty = await world.camera('ALA');
    astana = await world.camera('AST');
    const keeper = await world.as('region-admin', ['ALA'], 'keeper-ala');
    const { body } = await keeper
      .post('/watchlists')
      .send({
        kind: 'plate',
        name: 'Stolen, Almaty',
        regionCode: 'ALA',
        legalBasis: 'Order 12/2026',
        owner: 'ALA police',
      })
      .expect(201);
    hotlistId = body.id;
  });

  afterAll(async () => {
    clock = Date.now();
    await world?.close();
  });

  const plate = (text: string, confidence = 0.95) => ({
    plate: recognition.PlateObservation.fromPartial({ text, confidence, country: 'KZ' }),
  });

  async function list(text: string, extra: Record<string, unknown> = {}) {
    const keeper = await world.as('region-admin', ['ALA'], 'keeper-ala');
    const { body } = await keeper
      .post(`/watchlists/${hotlistId}/plates`)
      .send({
        plate: text,
        reason: 'stolen-vehicle',
        priority: 3,
        legalBasis: `Case ${text}`,
        owner: 'ALA police',
        expiresAt: inAWeek(),
        ...extra,
      })
      .expect(201);
    return body as { id: string };
  }

  async function matchesOf(detectionId: string) {
    return (await world.sql(`SELECT id, status FROM recognition.matches WHERE detection_id = $1`, [
      detectionId,
    ])) as { id: string; status: string }[];
  }

  it('validates entries: 400 for malformed fields, 422 for what does not fit', async () => {
    const keeper = await world.as('region-admin', ['ALA'], 'keeper-ala');
    const bad = await keeper
      .post(`/watchlists/${hotlistId}/plates`)
      .send({ plate: 'A', reason: 'joyride', priority: 9, legalBasis: 'x', owner: '', expiresAt: 'soon' })
      .expect(400);
    const fields = bad.body.problems.map((p: { field: string }) => p.field);
    expect(fields).toEqual(
      expect.arrayContaining(['reason', 'priority', 'legalBasis', 'owner', 'expiresAt']),
    );
    const past = await keeper
      .post(`/watchlists/${hotlistId}/plates`)
      .send({
        plate: '777AAA02',
        reason: 'other',
        priority: 1,
        legalBasis: 'Case 1',
        owner: 'me',
        expiresAt: '2020-01-01T00:00:00Z',
      })
      .expect(422);
    expect(past.body.problems).toEqual([{ field: 'expiresAt', reason: 'must be in the future' }]);
    const national = await keeper
      .post(`/watchlists/${hotlistId}/plates`)
      .send({
        plate: '777AAA02',
        reason: 'other',
        priority: 1,
        legalBasis: 'Case 1',
        owner: 'me',
        expiresAt: inAWeek(),
        national: true,
      })
      .expect(422);
    expect(national.body.problems[0].field).toBe('regions');
  });

  it('matches a listed plate exactly, publishes PlateMatched pending verification, and audits it', async () => {
    const entry = await list('123ABC02');
    const accepted = detectionAt(almaty, plate('123ABC02'));
    await world.analyse([analyser], [accepted]);
    const [stored] = await matchesOf(accepted.detection.id);
    expect(stored.status).toBe('pending-verification');
    const record = await eventually(() => world.published.find((r) => r.key === stored.id), {
      message: 'PlateMatched',
    });
    expect(record.headers[CeHeader.Type]).toBe(EventTypes.PlateMatched);
    expect(record.headers[CeHeader.Region]).toBe('ALA');
    const { match } = recognition.PlateMatched.decode(record.value);
    expect(match?.status).toBe(recognition.MatchStatus.MATCH_STATUS_PENDING_VERIFICATION);
    expect(match?.candidates).toEqual([
      expect.objectContaining({
        entryId: entry.id,
        hotlistId,
        listedText: '123ABC02',
        score: 1,
        matchKind: recognition.PlateMatchKind.PLATE_MATCH_KIND_EXACT,
        reason: recognition.HotlistReason.HOTLIST_REASON_STOLEN_VEHICLE,
        legalBasisRef: 'Case 123ABC02',
      }),
    ]);
    const audits = await world.sql(
      `SELECT action, actor_subject FROM recognition.audit_log WHERE object_type = 'match' AND object_id = $1`,
      [stored.id],
    );
    expect(audits).toEqual([{ action: 'create', actor_subject: 'service:recognition' }]);

    // Analysing the same detection again raises nothing new.
    await world.analyse([analyser], [accepted]);
    expect(await matchesOf(accepted.detection.id)).toHaveLength(1);
  });

  it('says how a reading matched: confusable, and one edit only on a confident reading', async () => {
    await list('555OBD02');
    const confusable = detectionAt(almaty, plate('5550BD02'));
    const confident = detectionAt(almaty, plate('555OBE02', 0.93));
    const doubtful = detectionAt(almaty, plate('555OBE02', 0.5));
    await world.analyse([analyser], [confusable, confident, doubtful]);
    const kindOf = async (d: typeof confusable) => {
      const [row] = await world.sql(`SELECT detail FROM recognition.matches WHERE detection_id = $1`, [
        d.detection.id,
      ]);
      return row ? recognition.PlateMatch.decode(row.detail).candidates[0] : undefined;
    };
    expect(await kindOf(confusable)).toMatchObject({
      matchKind: recognition.PlateMatchKind.PLATE_MATCH_KIND_CONFUSABLE,
      score: 0.95,
    });
    const oneEdit = await kindOf(confident);
    expect(oneEdit?.matchKind).toBe(recognition.PlateMatchKind.PLATE_MATCH_KIND_ONE_EDIT);
    expect(oneEdit?.score).toBeCloseTo(0.85 * 0.93, 4);
    expect(await kindOf(doubtful)).toBeUndefined();
  });

  it('matches only in the regions an entry is for, and national entries everywhere', async () => {
    await list('100ALA01');
    const admin = await world.as('admin');
    await admin
      .post(`/watchlists/${hotlistId}/plates`)
      .send({
        plate: '200KZN01',
        reason: 'missing-person',
        priority: 4,
        legalBasis: 'Search 7',
        owner: 'MVD',
        expiresAt: inAWeek(),
        national: true,
      })
      .expect(201);
    const regional = detectionAt(astana, plate('100ALA01'));
    const national = detectionAt(astana, plate('200KZN01'));
    await world.analyse([analyser], [regional, national]);
    expect(await matchesOf(regional.detection.id)).toHaveLength(0);
    expect(await matchesOf(national.detection.id)).toHaveLength(1);
  });

  it('never matches an expired entry', async () => {
    await list('300EXP01', { expiresAt: new Date(Date.now() + 60_000).toISOString() });
    const before = detectionAt(almaty, plate('300EXP01'));
    await world.analyse([analyser], [before]);
    expect(await matchesOf(before.detection.id)).toHaveLength(1);
    clock = Date.now() + 61_000;
    try {
      const after = detectionAt(almaty, plate('300EXP01'));
      await world.analyse([analyser], [after]);
      expect(await matchesOf(after.detection.id)).toHaveLength(0);
    } finally {
      clock = Date.now();
    }
  });

  it('follows changes: a removed entry stops matching, an edited one matches in its new scope', async () => {
    const entry = await list('400DEL01');
    const keeper = await world.as('region-admin', ['ALA'], 'keeper-ala');
    await keeper.delete(`/plate-entries/${entry.id}`).set('x-purpose', 'order revoked').expect(204);
    const gone = detectionAt(almaty, plate('400DEL01'));
    await world.analyse([analyser], [gone]);
    expect(await matchesOf(gone.detection.id)).toHaveLength(0);
    const erased = await world.sql(
      `SELECT purpose, legal_basis FROM recognition.audit_log WHERE object_id = $1 AND action = 'erase'`,
      [entry.id],
    );
    expect(erased).toEqual([{ purpose: 'order revoked', legal_basis: 'Case 400DEL01' }]);

    const moved = await list('500MOV01');
    const both = await world.as('region-admin', ['ALA', 'AST'], 'keeper-both');
    await both
      .patch(`/plate-entries/${moved.id}`)
      .send({ regions: ['ALA', 'AST'] })
      .expect(200);
    const seen = detectionAt(astana, plate('500MOV01'));
    await world.analyse([analyser], [seen]);
    expect(await matchesOf(seen.detection.id)).toHaveLength(1);
  });

  it('picks up changes another instance made, through the change log', async () => {
    const matcher = world.service.app.get(PlateHotlistMatcher);
    const keeper = await world.as('region-admin', ['ALA'], 'keeper-ala');
    // Written behind this instance's back: as another instance would, with its change-log row.
    const id = '0b5a3f0e-0000-4000-8000-000000000001';
    await world.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('app.regions', '*', true)`);
      await m.query(
        `INSERT INTO recognition.plate_hotlist_entries (id, watchlist_id, region_code, plate, reason, priority,
           legal_basis, owner, scope_regions, expires_at, created_by)
         VALUES ($1, $2, 'ALA', '600OTH01', 'other', 2, 'Case 600', 'ALA police', '{ALA}', now() + interval '1 day', 'other-instance')`,
        [id, hotlistId],
      );
      await m.query(
        `INSERT INTO recognition.watchlist_changes (kind, object_id) VALUES ('plate-entry', $1)`,
        [id],
      );
    });
    await eventually(() => matcher.match('600OTH01', 0.9, 'ALA').length === 1, {
      message: 'poll',
      timeoutMs: 5_000,
    });
    await keeper.get(`/plate-entries/${id}`).expect(200);
  });

  it('picks up a change whose transaction took its number early but committed after a later one', async () => {
    const matcher = world.service.app.get(PlateHotlistMatcher);
    const feed = world.service.app.get(WatchlistChangeFeed);
    const insertEntry = async (m: EntityManager, id: string, plate: string) => {
      await m.query(`SELECT set_config('app.regions', '*', true)`);
      await m.query(
        `INSERT INTO recognition.plate_hotlist_entries (id, watchlist_id, region_code, plate, reason, priority,
           legal_basis, owner, scope_regions, expires_at, created_by)
         VALUES ($1, $2, 'ALA', $3, 'other', 2, 'Case 610', 'ALA police', '{ALA}', now() + interval '1 day', 'other-instance')`,
        [id, hotlistId, plate],
      );
      await m.query(
        `INSERT INTO recognition.watchlist_changes (kind, object_id) VALUES ('plate-entry', $1)`,
        [id],
      );
    };
    const slow = world.dataSource.createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    try {
      await insertEntry(slow.manager, '0b5a3f0e-0000-4000-8000-000000000611', '611LAT01');
      await world.dataSource.transaction((m) =>
        insertEntry(m, '0b5a3f0e-0000-4000-8000-000000000612', '612FST01'),
      );
      await feed.pull();
      expect(matcher.match('612FST01', 0.9, 'ALA')).toHaveLength(1);
      expect(matcher.match('611LAT01', 0.9, 'ALA')).toHaveLength(0);
      await slow.commitTransaction();
    } finally {
      if (slow.isTransactionActive) await slow.rollbackTransaction();
      await slow.release();
    }
    await feed.pull();
    expect(matcher.match('611LAT01', 0.9, 'ALA')).toHaveLength(1);
  });

  it('names reasons as the contract does, and still takes the earlier spelling wanted-person-vehicle', async () => {
    const current = await list('710WP01', { reason: 'wanted-person' });
    const earlier = await list('711WP01', { reason: 'wanted-person-vehicle' });
    const keeper = await world.as('region-admin', ['ALA'], 'keeper-ala');
    for (const entry of [current, earlier]) {
      const read = await keeper
        .get(`/plate-entries/${entry.id}`)
        .set('x-purpose', 'reason check')
        .expect(200);
      expect(read.body.reason).toBe('wanted-person');
    }
    const edited = await keeper
      .patch(`/plate-entries/${current.id}`)
      .send({ reason: 'wanted-person-vehicle' })
      .expect(200);
    expect(edited.body.reason).toBe('wanted-person');
    const accepted = detectionAt(almaty, plate('711WP01'));
    await world.analyse([analyser], [accepted]);
    const [row] = await world.sql(`SELECT detail FROM recognition.matches WHERE detection_id = $1`, [
      accepted.detection.id,
    ]);
    expect(recognition.PlateMatch.decode(row.detail).candidates[0]?.reason).toBe(
      recognition.HotlistReason.HOTLIST_REASON_WANTED_PERSON,
    );

    // Entries stored with the earlier spelling take the contract's name when the schema is migrated.
    await world.sql(
      `UPDATE recognition.plate_hotlist_entries SET reason = 'wanted-person-vehicle' WHERE id = $1`,
      [earlier.id],
    );
    await new HotlistReasonNames1765100000000().up({ query: (sql: string) => world.sql(sql) } as QueryRunner);
    const [stored] = await world.sql(`SELECT reason FROM recognition.plate_hotlist_entries WHERE id = $1`, [
      earlier.id,
    ]);
    expect(stored.reason).toBe('wanted-person');
  });

  it('audits every read of an entry and hides other regions', async () => {
    const entry = await list('700RD01');
    const keeper = await world.as('region-admin', ['ALA'], 'keeper-ala');
    await keeper.get(`/plate-entries/${entry.id}`).set('x-purpose', 'case review 7').expect(200);
    const page = await keeper.get(`/watchlists/${hotlistId}/plates`).expect(200);
    expect(page.body.items.length).toBeGreaterThan(3);
    const reads = await world.sql(
      `SELECT purpose FROM recognition.audit_log WHERE object_id = $1 AND action = 'read' ORDER BY seq`,
      [entry.id],
    );
    expect(reads).toEqual([{ purpose: 'case review 7' }, { purpose: 'hotlist administration' }]);
    const outsider = await world.as('region-admin', ['AST'], 'keeper-ast');
    await outsider.get(`/plate-entries/${entry.id}`).expect(404);
    await outsider.get(`/watchlists/${hotlistId}/plates`).expect(404);
    const operator = await world.as('operator', ['ALA']);
    await operator.get(`/plate-entries/${entry.id}`).expect(403);
  });

  describe('verification', () => {
    let matchId: string;

    beforeAll(async () => {
      await list('800VER01');
      const accepted = detectionAt(almaty, plate('800VER01'));
      await world.analyse([analyser], [accepted]);
      [{ id: matchId }] = await matchesOf(accepted.detection.id);
    });

    it('shows matches to their region only, and audits every view', async () => {
      const operator = await world.as('operator', ['ALA'], 'op-1');
      const view = await operator.get(`/matches/${matchId}`).set('x-purpose', 'shift review').expect(200);
      expect(view.body).toMatchObject({
        kind: 'plate',
        id: matchId,
        status: 'MATCH_STATUS_PENDING_VERIFICATION',
      });
      const listed = await operator
        .get('/matches')
        .query({ kind: 'plate', status: 'pending-verification' })
        .expect(200);
      expect(listed.body.items.map((m: { id: string }) => m.id)).toContain(matchId);
      const views = await world.sql(
        `SELECT actor_subject, purpose FROM recognition.audit_log WHERE object_id = $1 AND action = 'read' ORDER BY seq`,
        [matchId],
      );
      expect(views).toEqual([
        { actor_subject: 'op-1', purpose: 'shift review' },
        { actor_subject: 'op-1', purpose: 'match review' },
      ]);
      const auditor = await world.as('auditor', ['ALA'], 'auditor-1');
      const trail = await auditor.get('/audit-log').query({ objectId: matchId }).expect(200);
      expect(trail.body.items.map((r: { action: string }) => r.action)).toEqual(
        expect.arrayContaining(['create', 'read', 'read']),
      );
      await operator.get('/audit-log').expect(403);
      const elsewhere = await world.as('operator', ['AST'], 'op-ast');
      await elsewhere.get(`/matches/${matchId}`).expect(404);
      const theirs = (await elsewhere.get('/matches').expect(200)).body.items;
      expect(theirs.map((m: { id: string }) => m.id)).not.toContain(matchId);
      expect(theirs.every((m: { regionCode: string }) => m.regionCode === 'AST')).toBe(true);
      // Row-level security stands behind the query filter.
      const visible = await world.dataSource.transaction(async (m) => {
        await m.query(`SELECT set_config('app.regions', 'AST', true)`);
        return m.query(`SELECT id FROM recognition.matches WHERE id = $1`, [matchId]);
      });
      expect(visible).toEqual([]);
    });

    it('confirms a plate match only after a visual check of plate and vehicle, once per person', async () => {
      const operator = await world.as('operator', ['ALA'], 'op-1');
      const unchecked = await operator
        .post(`/matches/${matchId}/verifications`)
        .send({ verdict: 'confirmed', plateChecked: true })
        .expect(422);
      expect(unchecked.body.problems[0].field).toBe('vehicleChecked');
      const service = await world.as('service');
      await service.post(`/matches/${matchId}/verifications`).send({ verdict: 'confirmed' }).expect(403);
      const done = await operator
        .post(`/matches/${matchId}/verifications`)
        .send({
          verdict: 'confirmed',
          plateChecked: true,
          vehicleChecked: true,
          comment: 'white Camry, plate clear',
        })
        .expect(200);
      expect(done.body).toEqual({ status: 'confirmed', confirmations: 1, requiredConfirmations: 1 });
      await operator
        .post(`/matches/${matchId}/verifications`)
        .send({ verdict: 'confirmed', plateChecked: true, vehicleChecked: true })
        .expect(409);
      const changed = await eventually(
        () =>
          world.published.find(
            (r) => r.key === matchId && r.headers[CeHeader.Type] === EventTypes.MatchStatusChanged,
          ),
        { message: 'MatchStatusChanged' },
      );
      const event = recognition.MatchStatusChanged.decode(changed.value);
      expect(event).toMatchObject({
        matchId,
        status: recognition.MatchStatus.MATCH_STATUS_CONFIRMED,
        previousStatus: recognition.MatchStatus.MATCH_STATUS_PENDING_VERIFICATION,
        confirmations: 1,
        requiredConfirmations: 1,
      });
      expect(event.verification?.actor?.id).toBe('op-1');
      expect(event.verification?.comment).toBe('white Camry, plate clear');
    });

    it('serves GetMatch, ListMatches and VerifyMatch over gRPC', async () => {
      const client = recognitionClient(world.grpcUrl);
      try {
        const token = await world.identity.token('operator', ['ALA'], 'op-2');
        const got = await client.call<{ plateMatch: { id: string; status: number } }>(
          'GetMatch',
          { id: matchId },
          token,
        );
        expect(got.plateMatch).toMatchObject({
          id: matchId,
          status: recognition.MatchStatus.MATCH_STATUS_CONFIRMED,
        });
        const listed = await client.call<{ plateMatches: { id: string }[] }>(
          'ListMatches',
          { regionCode: 'ALA', kind: recognition.MatchKind.MATCH_KIND_PLATE, pageSize: 100 },
          token,
        );
        expect(listed.plateMatches.map((m) => m.id)).toContain(matchId);
        await expect(client.call('ListMatches', { regionCode: '' }, token)).rejects.toMatchObject({
          code: status.INVALID_ARGUMENT,
        });
        await expect(
          client.call(
            'VerifyMatch',
            { matchId, verdict: recognition.VerificationVerdict.VERIFICATION_VERDICT_REJECTED },
            token,
          ),
        ).rejects.toMatchObject({ code: status.FAILED_PRECONDITION });
        for (const role of ['admin', 'region-admin', 'service'] as const) {
          await expect(
            client.call(
              'VerifyMatch',
              { matchId, verdict: recognition.VerificationVerdict.VERIFICATION_VERDICT_REJECTED },
              await world.identity.token(role, ['ALA'], `${role}-1`),
            ),
          ).rejects.toMatchObject({ code: status.PERMISSION_DENIED });
        }
        const other = await world.identity.token('operator', ['AST'], 'op-ast');
        await expect(client.call('GetMatch', { id: matchId }, other)).rejects.toMatchObject({
          code: status.NOT_FOUND,
        });
        // Region admins keep video systems, cameras and watchlists: the matches are not theirs to read.
        const integrator = await world.identity.token('region-admin', ['ALA'], 'integrator-ala');
        await expect(client.call('GetMatch', { id: matchId }, integrator)).rejects.toMatchObject({
          code: status.PERMISSION_DENIED,
        });
        await expect(client.call('ListMatches', { regionCode: 'ALA' }, integrator)).rejects.toMatchObject({
          code: status.PERMISSION_DENIED,
        });
        const integratorRest = await world.as('region-admin', ['ALA'], 'integrator-ala');
        await integratorRest.get('/matches').expect(403);
        await integratorRest.get(`/matches/${matchId}`).expect(403);
      } finally {
        client.close();
      }
    });

    it('records rejections', async () => {
      await list('900REJ01');
      const accepted = detectionAt(almaty, plate('900REJ01'));
      await world.analyse([analyser], [accepted]);
      const [{ id }] = await matchesOf(accepted.detection.id);
      const client = recognitionClient(world.grpcUrl);
      try {
        const token = await world.identity.token('supervisor', ['ALA'], 'sup-1');
        const result = await client.call<{ status: number }>(
          'VerifyMatch',
          {
            matchId: id,
            verdict: recognition.VerificationVerdict.VERIFICATION_VERDICT_REJECTED,
            comment: 'different car',
          },
          token,
        );
        expect(result.status).toBe(recognition.MatchStatus.MATCH_STATUS_REJECTED);
      } finally {
        client.close();
      }
      const rows = await world.sql(
        `SELECT verdict, comment FROM recognition.match_verifications WHERE match_id = $1`,
        [id],
      );
      expect(rows).toEqual([{ verdict: 'rejected', comment: 'different car' }]);
    });
  });
});
