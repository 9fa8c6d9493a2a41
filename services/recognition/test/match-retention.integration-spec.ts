import { randomUUID } from 'node:crypto';
import { RetentionJob, verifyAuditChain } from '@safecity/security';
import { startMatchingWorld, type MatchingWorld } from './matching-harness';

describe('match and behaviour alert retention', () => {
  let world: MatchingWorld;

  beforeAll(async () => {
    world = await startMatchingWorld('recmatchretention', {
      unconfirmedMatchRetentionDays: 90,
      confirmedMatchRetentionDays: 365,
      behaviourAlertRetentionDays: 90,
    });
  });

  afterAll(async () => {
    await world?.close();
  });

  /** A match raised `daysAgo` days ago, as the analysers store it. */
  async function match(status: string, daysAgo: number): Promise<string> {
    const id = randomUUID();
    await world.sql(
      `INSERT INTO recognition.matches (id, kind, detection_id, camera_id, video_system_id, region_code,
         observed_at, matched_at, status, required_confirmations, watchlist_ids, entry_ids, detail)
       VALUES ($1, 'plate', $2, $3, $4, 'ALA', now() - make_interval(days => $5), now() - make_interval(days => $5),
               $6, 2, ARRAY[$7]::uuid[], ARRAY[$8]::uuid[], '\\x00')`,
      [id, `det-${id}`, randomUUID(), randomUUID(), daysAgo, status, randomUUID(), randomUUID()],
    );
    return id;
  }

  async function verify(matchId: string, subject: string, verdict: 'confirmed' | 'rejected') {
    await world.sql(
      `INSERT INTO recognition.match_verifications (match_id, region_code, actor_subject, actor_kind, actor_name, verdict)
       VALUES ($1, 'ALA', $2, 'user', 'Officer', $3)`,
      [matchId, subject, verdict],
    );
  }

  async function alert(daysAgo: number): Promise<string> {
    const id = randomUUID();
    await world.sql(
      `INSERT INTO recognition.behaviour_alerts (id, detection_id, rule_id, camera_id, region_code, behaviour,
         severity, observed_at, raised_at, detail)
       VALUES ($1, $2, $3, $4, 'ALA', 'loitering', 'high', now() - make_interval(days => $5),
               now() - make_interval(days => $5), '\\x00')`,
      [id, `det-${id}`, randomUUID(), randomUUID(), daysAgo],
    );
    return id;
  }

  it('erases unconfirmed matches and alerts after 90 days and confirmed matches after a year, with their verifications, and audits each erasure', async () => {
    const oldRejected = await match('rejected', 91);
    await verify(oldRejected, 'officer-1', 'rejected');
    const oldPending = await match('pending-verification', 120);
    const recentRejected = await match('rejected', 30);
    await verify(recentRejected, 'officer-2', 'rejected');
    const confirmedSinceHalfAYear = await match('confirmed', 180);
    await verify(confirmedSinceHalfAYear, 'officer-3', 'confirmed');
    const confirmedLongAgo = await match('confirmed', 400);
    await verify(confirmedLongAgo, 'officer-4', 'confirmed');
    await verify(confirmedLongAgo, 'officer-5', 'confirmed');
    const oldAlert = await alert(95);
    const recentAlert = await alert(10);

    const result = await world.service.app.get(RetentionJob).runOnce();
    expect(result).toMatchObject({ ran: true });
    const erased = result.ran ? Object.fromEntries(result.erasures.map((e) => [e.dataClass, e.count])) : {};
    expect(erased).toMatchObject({ 'unconfirmed-matches': 2, 'confirmed-matches': 1, 'behaviour-alerts': 1 });

    const matches = (await world.sql(`SELECT id FROM recognition.matches`)).map((r) => r.id);
    expect(matches.sort()).toEqual([recentRejected, confirmedSinceHalfAYear].sort());
    const verifiers = (await world.sql(`SELECT actor_subject FROM recognition.match_verifications`)).map(
      (r) => r.actor_subject,
    );
    expect(verifiers.sort()).toEqual(['officer-2', 'officer-3']);
    const alerts = (await world.sql(`SELECT id FROM recognition.behaviour_alerts`)).map((r) => r.id);
    expect(alerts).toEqual([recentAlert]);
    expect(alerts).not.toContain(oldAlert);
    expect(matches).not.toContain(oldPending);

    const audits = await world.sql(
      `SELECT object_id, purpose, legal_basis, details FROM recognition.audit_log
       WHERE action = 'erase' AND object_type = 'data-class' ORDER BY seq`,
    );
    expect(audits).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          object_id: 'unconfirmed-matches',
          purpose: 'retention',
          legal_basis:
            'matches nobody confirmed are erased with their verifications 90 days after they were raised',
          details: expect.objectContaining({ table: 'matches', count: 2 }),
        }),
        expect.objectContaining({
          object_id: 'confirmed-matches',
          purpose: 'retention',
          details: expect.objectContaining({ table: 'matches', count: 1 }),
        }),
        expect.objectContaining({
          object_id: 'behaviour-alerts',
          purpose: 'retention',
          legal_basis: 'behaviour alerts are erased 90 days after they were raised',
          details: expect.objectContaining({ table: 'behaviour_alerts', count: 1 }),
        }),
      ]),
    );
    expect(await verifyAuditChain(world.dataSource, 'recognition')).toMatchObject({ ok: true });

    // A second run finds nothing more to erase and records nothing.
    const again = await world.service.app.get(RetentionJob).runOnce();
    const againErased = again.ran ? again.erasures.filter((e) => e.count > 0) : [];
    expect(againErased).toEqual([]);
  });
});
