import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { randomUUID } from 'node:crypto';
import { grpcOptions, incidents as contract, IncidentsGrpc } from '@safecity/contracts';
import type { Role } from '@safecity/security';
import { eventually } from '@safecity/testing';
import request from 'supertest';
import { INCIDENTS_POLICIES } from '../src/incidents.policies';
import { SlaMonitor } from '../src/sla/sla-monitor';
import { faceMatched } from './fixtures';
import { EventTypes, startInProcessIncidents, type InProcessIncidents } from './harness';
import { SseClient } from './sse-client';

type Call = (req: unknown, md: grpc.Metadata, cb: (err: grpc.ServiceError | null, res: any) => void) => void;

/**
 * Every operation whose policy says it reveals biometric data (face matches) must leave an audit
 * record naming who saw which face-match incident. The operations come from the policies: one
 * added without a way of showing its disclosures here fails the suite.
 */
describe('disclosures of face-match incidents, audited by every operation that makes them', () => {
  let env: InProcessIncidents;
  let client: Record<string, Call> & grpc.Client;

  beforeAll(async () => {
    env = await startInProcessIncidents('incfacedisc');
    const options = grpcOptions(IncidentsGrpc);
    const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(options.protoPath, options.loader)) as any;
    client = new pkg.safecity.incidents.v1.Incidents(env.service.grpcUrl!, grpc.credentials.createInsecure());
  }, 60_000);

  afterAll(async () => {
    client?.close();
    await env?.close();
  }, 30_000);

  const bearer = (subject: string, role: Role = 'operator') => env.identity.bearer(role, ['ALA'], subject);
  const rpc = async (method: string, req: unknown, subject: string) => {
    const metadata = new grpc.Metadata();
    metadata.set('authorization', await bearer(subject));
    return new Promise<any>((resolve, reject) =>
      client[method]!.call(client, req, metadata, (err, res) => (err ? reject(err) : resolve(res))),
    );
  };

  /** A fresh face-match incident of Almaty. */
  async function faceIncident(): Promise<string> {
    const match = faceMatched({});
    env.publish(EventTypes.FaceMatched, match.match!.id, match);
    await env.bus.whenIdle(10_000);
    const page = await rpc(
      'listIncidents',
      { regionCode: 'ALA', pageSize: 20, purpose: 'test set-up' },
      'set-up',
    );
    const found = (page.incidents as contract.Incident[]).find((i) =>
      i.sources.some((s) => s.refId === match.match!.id),
    );
    if (!found) throw new Error('no incident from the face match');
    return found.id;
  }

  /** Who has an audit record of a disclosure of the incident (a read, or the step they took). */
  async function disclosedTo(incidentId: string): Promise<string[]> {
    const items = (
      await request(env.service.httpUrl)
        .get(`/audit-log?objectType=incident&objectId=${incidentId}&limit=100`)
        .set('authorization', await env.identity.bearer('auditor', 'all'))
        .expect(200)
    ).body.items as { actorSubject: string; action: string }[];
    return items.filter((r) => r.action === 'read' || r.action === 'update').map((r) => r.actorSubject);
  }

  /** Each scenario discloses a fresh face-match incident as the operation does, and names who saw it. */
  const scenarios: Record<string, () => Promise<{ incident: string; readers: string[] }>> = {
    listIncidents: async () => {
      const incident = await faceIncident();
      await request(env.service.httpUrl)
        .get(`/incidents?sourceKind=face-match&limit=100`)
        .set('authorization', await bearer('lister-rest'))
        .expect(200);
      await rpc('listIncidents', { regionCode: 'ALA', pageSize: 100 }, 'lister-grpc');
      return { incident, readers: ['lister-rest', 'lister-grpc'] };
    },
    getIncident: async () => {
      const incident = await faceIncident();
      await request(env.service.httpUrl)
        .get(`/incidents/${incident}`)
        .set('authorization', await bearer('getter-rest'))
        .expect(200);
      await rpc('getIncident', { id: incident }, 'getter-grpc');
      await rpc('batchGetIncidents', { ids: [incident, randomUUID()] }, 'batcher-grpc');
      return { incident, readers: ['getter-rest', 'getter-grpc', 'batcher-grpc'] };
    },
    transitionIncident: async () => {
      const incident = await faceIncident();
      await rpc(
        'transitionIncident',
        {
          id: incident,
          targetState: contract.IncidentState.INCIDENT_STATE_DISMISSED,
          reason: 'not the person on the list',
          resolution: contract.Resolution.RESOLUTION_FALSE_ALARM,
        },
        'mover-grpc',
      );
      const other = await faceIncident();
      await request(env.service.httpUrl)
        .post(`/incidents/${other}/transitions`)
        .set('authorization', await bearer('mover-rest'))
        .send({ to: 'dismissed', reason: 'not the person on the list', resolution: 'false-alarm' })
        .expect(200);
      expect(await disclosedTo(other)).toContain('mover-rest');
      return { incident, readers: ['mover-grpc'] };
    },
    streamIncidents: async () => {
      const stream = new SseClient(`${env.service.httpUrl}/incidents/stream`, {
        authorization: await bearer('streamer'),
        'x-purpose': 'watching the wall screen',
      });
      expect(await stream.connect()).toBe(200);
      try {
        const incident = await faceIncident();
        await eventually(() => stream.events.some((e) => e.data.includes(incident)), {
          message: 'the face-match incident on the stream',
        });
        return { incident, readers: ['streamer'] };
      } finally {
        stream.close();
      }
    },
    supervisorOverview: async () => {
      const incident = await faceIncident();
      // Past every deadline: the incident is an SLA breach on the overview.
      await env.service.app.get(SlaMonitor).check(new Date(Date.now() + 24 * 3_600_000));
      const overview = await request(env.service.httpUrl)
        .get('/supervisor/overview')
        .set('authorization', await bearer('overseer', 'supervisor'))
        .expect(200);
      expect(overview.body.slaBreaches.map((i: { id: string }) => i.id)).toContain(incident);
      return { incident, readers: ['overseer'] };
    },
  };

  const biometric = Object.values(INCIDENTS_POLICIES).filter((p) => p.reveals.includes('biometric'));

  it('finds the operations that reveal face matches in the policies', () => {
    expect(biometric.map((p) => p.operation).sort()).toEqual(Object.keys(scenarios).sort());
  });

  it.each(biometric.map((p) => [p.operation]))(
    'audits every face-match incident %s discloses',
    async (operation) => {
      const scenario = scenarios[operation];
      if (!scenario)
        throw new Error(`${operation} reveals face matches, and no scenario here shows it audits them`);
      const { incident, readers } = await scenario();
      const seen = await eventually(
        async () => {
          const subjects = await disclosedTo(incident);
          return readers.every((reader) => subjects.includes(reader)) ? subjects : undefined;
        },
        { message: `disclosures of ${incident} to ${readers.join(', ')} audited` },
      );
      expect(seen).toEqual(expect.arrayContaining(readers));
    },
  );
});
