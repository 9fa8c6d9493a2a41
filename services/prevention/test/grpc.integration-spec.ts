import { credentials, loadPackageDefinition, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { grpcOptions, prevention, PreventionGrpc } from '@safecity/contracts';
import { eventually } from '@safecity/testing';
import { incidentRecord, PUBLIC_ORDER } from './incidents';
import { personCase, placeCase, startWorld, type Agent, type PreventionWorld } from './world';

type Callback = (error: ServiceError | null, response: unknown) => void;
type Client = Record<string, (request: unknown, metadata: Metadata, callback: Callback) => void>;

describe('Prevention over gRPC', () => {
  let world: PreventionWorld;
  let officer: Agent;
  let client: Client;
  let personCaseId: string;
  let placeCaseId: string;
  let incidentId: string;

  const call = async <T>(method: string, request: unknown, token?: string): Promise<T> => {
    const metadata = new Metadata();
    if (token) metadata.set('authorization', `Bearer ${token}`);
    return new Promise((resolve, reject) =>
      client[method].call(client, request, metadata, (error: ServiceError | null, response: unknown) =>
        error ? reject(error) : resolve(response as T),
      ),
    );
  };
  const code = (promise: Promise<unknown>) =>
    promise.then(
      () => 'OK',
      (error: ServiceError) => status[error.code],
    );

  beforeAll(async () => {
    world = await startWorld('prevgrpc');
    officer = world.as(await world.ids.bearer('prevention-officer', ['ALA']));
    const options = grpcOptions(PreventionGrpc);
    const pkg = loadPackageDefinition(loadSync(options.protoPath, options.loader)) as unknown as {
      safecity: { prevention: { v1: { Prevention: new (url: string, creds: unknown) => Client } } };
    };
    client = new pkg.safecity.prevention.v1.Prevention(world.grpcUrl, credentials.createInsecure());
    personCaseId = (await officer.post('/cases').send(personCase()).expect(201)).body.id;
    placeCaseId = (
      await officer
        .post('/cases')
        .send(
          placeCase({
            riskAssessment: { factors: ['poor-lighting', 'repeat-calls-at-place'], riskLevel: 'medium' },
          }),
        )
        .expect(201)
    ).body.id;
    const record = incidentRecord({
      address: 'мкр Самал-2, 58',
      point: { lat: 43.2331, lon: 76.9512 },
      occurredAt: new Date(Date.now() - 14 * 86_400_000),
      category: PUBLIC_ORDER,
    });
    incidentId = record.incidentId;
    world.bus.publish([record]);
    await eventually(
      async () =>
        (await officer.get(`/cases/${placeCaseId}`).expect(200)).body.linkedIncidentIds.length === 1,
    );
  }, 60_000);

  afterAll(async () => {
    (client as unknown as { close(): void } | undefined)?.close();
    await world?.close();
  });

  it('GetCase needs a purpose, audits the read, and carries the person by reference only', async () => {
    const token = await world.ids.token('service', 'all', 'incidents-service');
    expect(await code(call('getCase', { id: personCaseId }, token))).toBe('INVALID_ARGUMENT');
    expect(await code(call('getCase', { id: 'nope', purpose: 'incident card' }, token))).toBe(
      'INVALID_ARGUMENT',
    );
    const { preventionCase } = await call<prevention.GetCaseResponse>(
      'getCase',
      { id: personCaseId, purpose: 'incident card of AST-2026-000123' },
      token,
    );
    expect(preventionCase).toMatchObject({
      id: personCaseId,
      regionCode: 'ALA',
      status: prevention.PreventionCaseStatus.PREVENTION_CASE_STATUS_OPEN,
      subject: { kind: prevention.SubjectKind.SUBJECT_KIND_PERSON, address: '', location: null },
    });
    expect(JSON.stringify(preventionCase)).not.toMatch(/Айгерим|Абая|090417600123/);
    const { rows } = await world.pg.query(
      `SELECT actor_subject, purpose FROM prevention.audit_log WHERE action = 'read' AND object_id = $1`,
      [personCaseId],
    );
    expect(rows).toEqual([
      { actor_subject: 'incidents-service', purpose: 'incident card of AST-2026-000123' },
    ]);
  });

  it('refuses callers without a token, without the role, or outside the region', async () => {
    expect(await code(call('getCase', { id: personCaseId, purpose: 'incident card' }))).toBe(
      'UNAUTHENTICATED',
    );
    const analyst = await world.ids.token('analyst', ['ALA']);
    expect(await code(call('getCase', { id: personCaseId, purpose: 'incident card' }, analyst))).toBe(
      'PERMISSION_DENIED',
    );
    const ast = await world.ids.token('prevention-officer', ['AST']);
    expect(await code(call('getCase', { id: personCaseId, purpose: 'incident card' }, ast))).toBe(
      'NOT_FOUND',
    );
    expect(await code(call('listCases', { regionCode: 'ALA', purpose: 'weekly planning' }, ast))).toBe(
      'PERMISSION_DENIED',
    );
  });

  it('ListCases filters and pages; ListCasesByIncident finds the cases an incident joined', async () => {
    const token = await world.ids.token('prevention-officer', ['ALA']);
    const first = await call<prevention.ListCasesResponse>(
      'listCases',
      { regionCode: 'ALA', pageSize: 1, purpose: 'weekly planning' },
      token,
    );
    expect(first.preventionCases).toHaveLength(1);
    expect(first.nextPageToken).not.toBe('');
    const second = await call<prevention.ListCasesResponse>(
      'listCases',
      { regionCode: 'ALA', pageSize: 1, pageToken: first.nextPageToken, purpose: 'weekly planning' },
      token,
    );
    expect(second.preventionCases.map((c) => c.id)).not.toEqual(first.preventionCases.map((c) => c.id));
    const medium = await call<prevention.ListCasesResponse>(
      'listCases',
      { regionCode: 'ALA', minRiskLevel: prevention.RiskLevel.RISK_LEVEL_MEDIUM, purpose: 'weekly planning' },
      token,
    );
    expect(medium.preventionCases.map((c) => c.id)).toEqual([placeCaseId]);
    const places = await call<prevention.ListCasesResponse>(
      'listCases',
      {
        regionCode: 'ALA',
        subjectKind: prevention.SubjectKind.SUBJECT_KIND_PLACE,
        purpose: 'weekly planning',
      },
      token,
    );
    expect(places.preventionCases.map((c) => c.id)).toEqual([placeCaseId]);
    expect(places.preventionCases[0].subject?.address).toBe('мкр Самал-2, 58');
    const byIncident = await call<prevention.ListCasesByIncidentResponse>(
      'listCasesByIncident',
      { incidentId, purpose: 'incident card' },
      token,
    );
    expect(byIncident.preventionCases.map((c) => c.id)).toEqual([placeCaseId]);
    expect(byIncident.preventionCases[0].linkedIncidentIds).toEqual([incidentId]);
  });

  it('GetKpis and GetForecast answer analysts, place-based only', async () => {
    const analyst = await world.ids.token('analyst', ['ALA']);
    const now = Date.now();
    const { kpis } = await call<prevention.GetKpisResponse>(
      'getKpis',
      {
        regionCode: 'ALA',
        period: { startTime: new Date(now - 86_400_000), endTime: new Date(now + 86_400_000) },
      },
      analyst,
    );
    expect(kpis[0]).toMatchObject({
      regionCode: 'ALA',
      districtCode: '',
      casesOpened: 2,
      casesInProgress: 2,
    });
    expect(kpis.map((k) => k.districtCode)).toEqual(['', 'ALA-ALMALY']);
    expect(await code(call('getKpis', { regionCode: 'ALA' }, analyst))).toBe('INVALID_ARGUMENT');

    const window = { startTime: new Date(now), endTime: new Date(now + 168 * 3_600_000) };
    const { forecast } = await call<prevention.GetForecastResponse>(
      'getForecast',
      { regionCode: 'ALA', window },
      analyst,
    );
    expect(forecast?.modelVersion).toBe('seasonal-baseline-v1');
    expect(forecast?.cells).toHaveLength(1);
    expect(forecast?.cells[0]).toMatchObject({
      cellId: 'g0.01:4323:7695',
      bounds: { southWest: { lat: 43.23, lon: 76.95 }, northEast: { lat: 43.24, lon: 76.96 } },
    });
    expect(forecast!.cells[0].expectedIncidents).toBeGreaterThan(0);
    const elsewhere = await call<prevention.GetForecastResponse>(
      'getForecast',
      {
        regionCode: 'ALA',
        window,
        area: { southWest: { lat: 43.3, lon: 76.8 }, northEast: { lat: 43.4, lon: 76.9 } },
      },
      analyst,
    );
    expect(elsewhere.forecast?.cells).toEqual([]);
    expect(
      await code(
        call(
          'getForecast',
          { regionCode: 'ALA', window: { startTime: window.startTime, endTime: window.startTime } },
          analyst,
        ),
      ),
    ).toBe('INVALID_ARGUMENT');
  });
});
