import { randomUUID } from 'node:crypto';
import { incidents as contract } from '@safecity/contracts';
import { RegionAccess, RegionScope } from '@safecity/security';
import { eventually } from '@safecity/testing';
import { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import { IncidentChangeLog } from '../src/incidents/incident-change-log';
import { actorOf, streamView } from '../src/incidents/incident.model';
import { IncidentsRepository } from '../src/incidents/incidents.repository';
import { openIncident, startInProcessIncidents, type InProcessIncidents } from './harness';
import { SseClient } from './sse-client';

/**
 * The live feed sends this instance's commits as they happen, and reads the change table whenever
 * those do not continue the feed exactly. Polling for other instances is switched off here, so
 * every delivery below comes from one of those two paths.
 */
describe('live feed: commits of this instance and what lies between them', () => {
  let env: InProcessIncidents;
  let changeLog: IncidentChangeLog;
  let repository: IncidentsRepository;
  const clients: SseClient[] = [];

  beforeAll(async () => {
    env = await startInProcessIncidents('inclivefeed', { liveFeedPollIntervalMs: 3_600_000 });
    changeLog = env.service.app.get(IncidentChangeLog);
    repository = env.service.app.get(IncidentsRepository);
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    await env?.close();
  }, 30_000);

  const connect = async (regions: string[] = ['ALA']) => {
    const client = new SseClient(`${env.service.httpUrl}/incidents/stream`, {
      authorization: await env.identity.bearer('operator', regions, `u-${randomUUID()}`),
    });
    clients.push(client);
    expect(await client.connect()).toBe(200);
    return client;
  };

  const open = (title: string, regionCode = 'ALA') => openIncident(env, title, regionCode);

  /** Records "updated" changes of incidents in a transaction of the caller's making. */
  const recordUpdate = async (m: EntityManager, ...incidentIds: string[]) => {
    const incidents = await repository.findByIds(m, incidentIds);
    await changeLog.record(
      m,
      incidents.map((incident) => ({
        kind: contract.IncidentChangeKind.INCIDENT_CHANGE_KIND_UPDATED,
        incident,
        sources: [],
        actor: actorOf('service', 'incidents'),
      })),
    );
  };

  const scoped = <T>(work: (m: EntityManager) => Promise<T>) =>
    env.service.app.get(RegionAccess).run(RegionScope.allRegions(), work);

  it('sends a change committed here without polling', async () => {
    const client = await connect();
    const incident = await open('Sent at commit');
    await eventually(() => client.incidents().some((e) => e.incidentId === incident.id), {
      timeoutMs: 5_000,
    });
    const [entry] = client.incidents().filter((e) => e.incidentId === incident.id);
    expect(entry).toMatchObject({
      kind: 'created',
      regionCode: 'ALA',
      incident: { title: 'Sent at commit' },
    });
  });

  it('goes past the hole a rolled-back change leaves in the sequence', async () => {
    const client = await connect();
    const target = await open('Rolled back around');
    await eventually(() => client.incidents().some((e) => e.incidentId === target.id));
    await expect(
      scoped(async (m) => {
        await recordUpdate(m, target.id);
        throw new Error('the request failed after recording its change');
      }),
    ).rejects.toThrow('failed after recording');
    const next = await open('After the hole');
    await eventually(() => client.incidents().some((e) => e.incidentId === next.id));
    const seen = client.incidents();
    expect(seen.filter((e) => e.incidentId === target.id).map((e) => e.kind)).toEqual(['created']);
    // The rolled-back change took a sequence number nobody will ever see.
    const [created, after] = [target.id, next.id].map((id) => seen.find((e) => e.incidentId === id)!.seq);
    expect(after).toBeGreaterThan(created + 1);
  });

  it('reads the table when a savepoint was rolled back after a change was recorded', async () => {
    const client = await connect();
    const kept = await open('Kept update');
    const dropped = await open('Dropped update');
    await eventually(() => client.incidents().some((e) => e.incidentId === dropped.id));
    await scoped(async (m) => {
      await recordUpdate(m, kept.id);
      await m
        .transaction(async (inner) => {
          await recordUpdate(inner, dropped.id);
          throw new Error('inner step failed');
        })
        .catch(() => undefined);
    });
    await eventually(() => client.incidents().some((e) => e.incidentId === kept.id && e.kind === 'updated'));
    const marker = await open('After the savepoint');
    await eventually(() => client.incidents().some((e) => e.incidentId === marker.id));
    expect(client.incidents().some((e) => e.incidentId === dropped.id && e.kind === 'updated')).toBe(false);
  });

  it('reads a change another instance committed in between before its own next one', async () => {
    const client = await connect();
    const elsewhere = await open('Changed by another instance');
    await eventually(() => client.incidents().some((e) => e.incidentId === elsewhere.id));
    const [incident] = await scoped((m) => repository.findByIds(m, [elsewhere.id]));
    const other = new Client({ connectionString: env.db.url });
    await other.connect();
    try {
      await other.query(
        `INSERT INTO incidents.incident_changes (seq, incident_id, region_code, kind, changed_at, snapshot)
         VALUES (nextval('incidents.incident_change_seq'), $1, 'ALA', $2, now(), $3::jsonb)`,
        [
          elsewhere.id,
          contract.IncidentChangeKind.INCIDENT_CHANGE_KIND_UPDATED,
          JSON.stringify(streamView(incident, 0)),
        ],
      );
    } finally {
      await other.end();
    }
    const local = await open('Then one here');
    await eventually(() => client.incidents().some((e) => e.incidentId === local.id));
    const tail = client.incidents().slice(-2);
    expect(tail.map((e) => [e.incidentId, e.kind])).toEqual([
      [elsewhere.id, 'updated'],
      [local.id, 'created'],
    ]);
    expect(tail[1].seq).toBe(tail[0].seq + 1);
  });

  it('sends each client only the part of changes committed together that its regions cover', async () => {
    const almaty = await connect(['ALA']);
    const astana = await connect(['AST']);
    const both = await connect(['ALA', 'AST']);
    const ala = await open('Almaty part');
    const ast = await open('Astana part', 'AST');
    await eventually(() => both.incidents().some((e) => e.incidentId === ast.id));
    await scoped((m) => recordUpdate(m, ala.id, ast.id));
    const updated = (client: SseClient) =>
      client
        .incidents()
        .filter((e) => e.kind === 'updated')
        .map((e) => e.incidentId);
    await eventually(() => updated(both).length === 2);
    await eventually(() => updated(almaty).length === 1 && updated(astana).length === 1);
    expect(updated(almaty)).toEqual([ala.id]);
    expect(updated(astana)).toEqual([ast.id]);
    expect(new Set(updated(both))).toEqual(new Set([ala.id, ast.id]));
  });
});
