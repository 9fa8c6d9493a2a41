import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { randomUUID } from 'node:crypto';
import { grpcOptions, incidents as contract, IncidentsGrpc } from '@safecity/contracts';
import request from 'supertest';
import type { Role } from '@safecity/security';
import { behaviourAlert, faceMatched, plateMatched } from './fixtures';
import { createdFromNow, EventTypes, startInProcessIncidents, type InProcessIncidents } from './harness';

type Call = (req: unknown, md: grpc.Metadata, cb: (err: grpc.ServiceError | null, res: any) => void) => void;

describe('gRPC Incidents', () => {
  let env: InProcessIncidents;
  let client: Record<string, Call>;
  let operatorRest: string;

  beforeAll(async () => {
    env = await startInProcessIncidents('incgrpc');
    const options = grpcOptions(IncidentsGrpc);
    const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(options.protoPath, options.loader)) as any;
    client = new pkg.safecity.incidents.v1.Incidents(env.service.grpcUrl!, grpc.credentials.createInsecure());
    operatorRest = await env.identity.bearer('operator', ['ALA'], 'op-1');
  }, 60_000);

  afterAll(async () => {
    (client as unknown as grpc.Client)?.close();
    await env?.close();
  }, 30_000);

  const call = async (
    method: string,
    req: unknown,
    roles: Role = 'service',
    regions: string[] | 'all' = 'all',
    subject = `${roles}-caller`,
  ) => {
    const metadata = new grpc.Metadata();
    metadata.set('authorization', await env.identity.bearer(roles, regions, subject));
    return new Promise<any>((resolve, reject) =>
      client[method].call(client, req, metadata, (err, res) => (err ? reject(err) : resolve(res))),
    );
  };
  const open = async (title: string) =>
    (
      await request(env.service.httpUrl)
        .post('/incidents')
        .set('authorization', operatorRest)
        .send({ category: 'theft', regionCode: 'ALA', title, location: { lat: 43.25, lon: 76.92 } })
        .expect(201)
    ).body as { id: string; version: number };

  it('gets, batch-gets and lists incidents in the caller’s regions', async () => {
    const a = await open('Pickpocket at the bazaar');
    const b = await open('Car broken into');
    const got = await call('getIncident', { id: a.id });
    expect(got.incident).toMatchObject({ id: a.id, title: 'Pickpocket at the bazaar', regionCode: 'ALA' });
    expect(got.incident.sources[0].kind).toBe(contract.IncidentSourceKind.INCIDENT_SOURCE_KIND_OPERATOR);
    const missing = randomUUID();
    const batch = await call('batchGetIncidents', { ids: [a.id, b.id, missing] });
    expect(batch.incidents.map((i: { id: string }) => i.id)).toEqual([a.id, b.id]);
    expect(batch.missingIds).toEqual([missing]);
    const page1 = await call('listIncidents', { regionCode: 'ALA', pageSize: 1 });
    expect(page1.incidents).toHaveLength(1);
    const page2 = await call('listIncidents', {
      regionCode: 'ALA',
      pageSize: 1,
      pageToken: page1.nextPageToken,
    });
    expect(page2.incidents[0].id).not.toBe(page1.incidents[0].id);
    const inArea = await call('listIncidents', {
      regionCode: 'ALA',
      area: { southWest: { lat: 43, lon: 76 }, northEast: { lat: 44, lon: 77 } },
    });
    expect(inArea.incidents.length).toBeGreaterThanOrEqual(2);
    const elsewhere = await call('listIncidents', {
      regionCode: 'ALA',
      area: { southWest: { lat: 50, lon: 70 }, northEast: { lat: 51, lon: 71 } },
    });
    expect(elsewhere.incidents).toEqual([]);
    await expect(call('listIncidents', { regionCode: 'ALA' }, 'service', ['AST'])).rejects.toMatchObject({
      code: grpc.status.PERMISSION_DENIED,
    });
    await expect(call('getIncident', { id: a.id }, 'service', ['AST'])).rejects.toMatchObject({
      code: grpc.status.NOT_FOUND,
    });
  });

  it('moves an incident, with FAILED_PRECONDITION for a step the lifecycle does not allow and ABORTED when stale', async () => {
    const incident = await open('Scuffle');
    await expect(
      call(
        'transitionIncident',
        { id: incident.id, targetState: contract.IncidentState.INCIDENT_STATE_CLOSED },
        'operator',
        ['ALA'],
      ),
    ).rejects.toMatchObject({
      code: grpc.status.FAILED_PRECONDITION,
      details: expect.stringMatching(/allowed: verified, dismissed/),
    });
    await expect(
      call(
        'transitionIncident',
        { id: incident.id, targetState: contract.IncidentState.INCIDENT_STATE_VERIFIED, expectedVersion: 99 },
        'operator',
        ['ALA'],
      ),
    ).rejects.toMatchObject({ code: grpc.status.ABORTED });
    const moved = await call(
      'transitionIncident',
      {
        id: incident.id,
        targetState: contract.IncidentState.INCIDENT_STATE_VERIFIED,
        expectedVersion: incident.version,
      },
      'operator',
      ['ALA'],
    );
    expect(moved.incident.state).toBe(contract.IncidentState.INCIDENT_STATE_VERIFIED);
    await expect(
      call(
        'transitionIncident',
        { id: randomUUID(), targetState: contract.IncidentState.INCIDENT_STATE_VERIFIED },
        'operator',
        ['ALA'],
      ),
    ).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
    // Moving incidents is the work of people on shift, over gRPC as over REST.
    await expect(
      call('transitionIncident', {
        id: incident.id,
        targetState: contract.IncidentState.INCIDENT_STATE_DISPATCHED,
      }),
    ).rejects.toMatchObject({ code: grpc.status.PERMISSION_DENIED });
  });

  it('refuses over gRPC exactly what REST refuses: analysts verifying a face match, an analyst or an admin dismissing, reports from others', async () => {
    const since = createdFromNow();
    env.publish(EventTypes.FaceMatched, 'face-authz', faceMatched({}));
    env.publish(EventTypes.BehaviourAlertRaised, 'fight-authz', behaviourAlert({}));
    await env.bus.whenIdle(10_000);
    const report = {
      channel: contract.CitizenReportChannel.CITIZEN_REPORT_CHANNEL_EGOV,
      channelReportId: randomUUID(),
      category: contract.IncidentCategory.INCIDENT_CATEGORY_PUBLIC_ORDER,
      description: 'Loud party in the courtyard',
      location: { lat: 43.2, lon: 76.9 },
      regionCode: 'ALA',
      reportedAt: new Date(),
    };
    const { incidentId: citizenIncident } = await call('submitCitizenReport', { report });
    const opened = (
      await request(env.service.httpUrl)
        .get(`/incidents?${since}`)
        .set('authorization', operatorRest)
        .expect(200)
    ).body.items as { id: string; sourceKind: string }[];
    const face = opened.find((i) => i.sourceKind === 'face-match')!.id;
    const fight = opened.find((i) => i.sourceKind === 'behaviour-alert')!.id;
    const S = contract.IncidentState;
    const R = contract.Resolution;
    const refusals: [Role, string, string, number, { to: string; reason?: string; resolution?: string }][] = [
      ['analyst', 'analyst-1', face, S.INCIDENT_STATE_VERIFIED, { to: 'verified' }],
      ['analyst', 'analyst-2', face, S.INCIDENT_STATE_VERIFIED, { to: 'verified' }],
      [
        'analyst',
        'analyst-1',
        fight,
        S.INCIDENT_STATE_DISMISSED,
        { to: 'dismissed', reason: 'x', resolution: 'false-alarm' },
      ],
      [
        'admin',
        'admin-1',
        citizenIncident,
        S.INCIDENT_STATE_DISMISSED,
        { to: 'dismissed', reason: 'x', resolution: 'false-alarm' },
      ],
    ];
    for (const [role, subject, id, targetState, body] of refusals) {
      await expect(
        call(
          'transitionIncident',
          {
            id,
            targetState,
            reason: body.reason ?? '',
            resolution: body.resolution ? R.RESOLUTION_FALSE_ALARM : 0,
          },
          role,
          ['ALA'],
          subject,
        ),
      ).rejects.toMatchObject({ code: grpc.status.PERMISSION_DENIED });
      await request(env.service.httpUrl)
        .post(`/incidents/${id}/transitions`)
        .set('authorization', await env.identity.bearer(role, ['ALA'], subject))
        .send(body)
        .expect(403);
    }
    for (const role of ['admin', 'analyst', 'supervisor', 'region-admin'] as const) {
      await expect(
        call('submitCitizenReport', { report: { ...report, channelReportId: randomUUID() } }, role, ['ALA']),
      ).rejects.toMatchObject({ code: grpc.status.PERMISSION_DENIED });
    }
    const after = await call('batchGetIncidents', { ids: [face, fight, citizenIncident] });
    expect(after.incidents.map((i: { state: number }) => i.state)).toEqual([
      S.INCIDENT_STATE_NEW,
      S.INCIDENT_STATE_NEW,
      S.INCIDENT_STATE_NEW,
    ]);
  });

  it('verifies a plate hit only with a visual check of the listed plate, as over REST', async () => {
    const since = createdFromNow();
    env.publish(EventTypes.PlateMatched, 'plate', plateMatched({ plate: '700KZZ02' }));
    env.publish(EventTypes.PlateMatched, 'plate', plateMatched({ plate: '703KZZ02' }));
    await env.bus.whenIdle(10_000);
    const listed = (
      await request(env.service.httpUrl)
        .get(`/incidents?sourceKind=plate-match&${since}`)
        .set('authorization', operatorRest)
        .expect(200)
    ).body.items as { id: string; title: string }[];
    const hit = listed.find((i) => i.title.includes('700KZZ02'))!;
    const other = listed.find((i) => i.title.includes('703KZZ02'))!;
    const verify = (id: string, visualCheck?: object, reason?: string) =>
      call(
        'transitionIncident',
        { id, targetState: contract.IncidentState.INCIDENT_STATE_VERIFIED, visualCheck, reason },
        'operator',
        ['ALA'],
      );
    await expect(verify(hit.id, { plate: '999XYZ77', make: 'Lada', colour: 'red' })).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringMatching(/^visualCheck\.plate: .*is not the hotlisted plate 700KZZ02/),
    });
    await expect(verify(hit.id)).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringMatching(/^visualCheck: /),
    });
    await expect(verify(hit.id, { plate: '700KZZ02', make: 'Lada', colour: 'red' })).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringMatching(/^reason: /),
    });
    await expect(
      verify(hit.id, { plate: '700KZZ02', make: 'Toyota', colour: 'x'.repeat(41) }),
    ).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringMatching(/^visual_check\.colour: /),
    });
    const verified = await verify(hit.id, { plate: '700 KZZ 02', make: 'Toyota', colour: 'white' });
    expect(verified.incident.state).toBe(contract.IncidentState.INCIDENT_STATE_VERIFIED);
    const dismissed = await call(
      'transitionIncident',
      {
        id: other.id,
        targetState: contract.IncidentState.INCIDENT_STATE_DISMISSED,
        reason: 'the operator saw another plate',
      },
      'operator',
      ['ALA'],
    );
    expect(dismissed.incident.state).toBe(contract.IncidentState.INCIDENT_STATE_DISMISSED);
  });

  it('takes citizen reports idempotently and refuses incomplete ones', async () => {
    const report = {
      channel: contract.CitizenReportChannel.CITIZEN_REPORT_CHANNEL_BANK_APP,
      channelReportId: randomUUID(),
      category: contract.IncidentCategory.INCIDENT_CATEGORY_TRAFFIC,
      description: 'Car crash at the crossroads',
      location: { lat: 43.24, lon: 76.95 },
      regionCode: 'ALA',
      reportedAt: new Date(),
    };
    const first = await call('submitCitizenReport', { report });
    expect(first.incidentId).toMatch(/^[0-9a-f-]{36}$/);
    const again = await call('submitCitizenReport', { report });
    expect(again).toMatchObject({ incidentId: first.incidentId, report: { id: first.report.id } });
    await expect(
      call('submitCitizenReport', { report: { ...report, channelReportId: randomUUID(), description: '' } }),
    ).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    // An address is enough without coordinates; neither is not.
    const { location: _location, ...placeless } = report;
    const byAddress = await call('submitCitizenReport', {
      report: { ...placeless, channelReportId: randomUUID(), address: 'мкр Самал-2, 58' },
    });
    const got = await call('getIncident', { id: byAddress.incidentId });
    expect(got.incident.location).toMatchObject({ address: 'мкр Самал-2, 58', point: null });
    await expect(
      call('submitCitizenReport', { report: { ...placeless, channelReportId: randomUUID() } }),
    ).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringMatching(/^location: /),
    });
  });

  it('audits every read of an incident with a face match, over REST and gRPC, with reader and purpose', async () => {
    const since = createdFromNow();
    const face = faceMatched({});
    env.publish(EventTypes.FaceMatched, 'face', face);
    env.publish(EventTypes.PlateMatched, 'plate', plateMatched({ plate: '606AUD02' }));
    await env.bus.whenIdle(10_000);
    const listed = (
      await request(env.service.httpUrl)
        .get(`/incidents?${since}`)
        .set('authorization', operatorRest)
        .expect(200)
    ).body.items as { id: string; sourceKind: string }[];
    const faceIncident = listed.find((i) => i.sourceKind === 'face-match')!;
    const plateIncident = listed.find((i) => i.sourceKind === 'plate-match')!;
    expect(faceIncident && plateIncident).toBeTruthy();

    const reader = await env.identity.bearer('operator', ['ALA'], 'op-reader');
    await request(env.service.httpUrl)
      .get(`/incidents/${faceIncident.id}`)
      .set('authorization', reader)
      .set('x-purpose', 'briefing the patrol sent to the market')
      .expect(200);
    await request(env.service.httpUrl)
      .get(`/incidents/${faceIncident.id}`)
      .set('authorization', reader)
      .expect(200);
    await call('getIncident', { id: faceIncident.id, purpose: 'case file of the prevention officer' });
    await call('batchGetIncidents', { ids: [faceIncident.id, plateIncident.id] });
    await request(env.service.httpUrl)
      .get(`/incidents/${plateIncident.id}`)
      .set('authorization', reader)
      .expect(200);
    await call('getIncident', { id: plateIncident.id });

    const auditor = await env.identity.bearer('auditor', 'all', 'aud-1');
    const trail = async (id: string) =>
      (
        await request(env.service.httpUrl)
          .get(`/audit-log?objectType=incident&objectId=${id}`)
          .set('authorization', auditor)
          .expect(200)
      ).body.items.filter((r: { action: string }) => r.action === 'read') as {
        actorSubject: string;
        purpose: string;
        legalBasis: string;
        details: { matchIds: string[] };
      }[];
    const reads = (await trail(faceIncident.id)).reverse();
    expect(reads.map((r) => [r.actorSubject, r.purpose])).toEqual([
      // The list it was found in is a disclosure too.
      ['op-1', 'incident handling'],
      ['op-reader', 'briefing the patrol sent to the market'],
      ['op-reader', 'incident handling'],
      ['service-caller', 'case file of the prevention officer'],
      ['service-caller', 'incident handling'],
    ]);
    expect(reads.every((r) => r.legalBasis === 'order 12')).toBe(true);
    expect(reads[1].details.matchIds).toEqual([face.match!.id]);
    // A plate hit is no biometric data: its reads leave no record.
    expect(await trail(plateIncident.id)).toEqual([]);
  });

  it('refuses an overlong purpose: 400 over REST, INVALID_ARGUMENT over gRPC', async () => {
    const { id } = await open('Bag snatched');
    const overlong = 'x'.repeat(301);
    const refused = await request(env.service.httpUrl)
      .get(`/incidents/${id}`)
      .set('authorization', operatorRest)
      .set('x-purpose', overlong)
      .expect(400);
    expect(refused.body.problems).toEqual([{ field: 'x-purpose', reason: expect.any(String) }]);
    await expect(call('getIncident', { id, purpose: overlong })).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
    });
  });
});
