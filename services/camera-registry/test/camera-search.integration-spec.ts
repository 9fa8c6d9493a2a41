import { InProcessBus } from '@safecity/messaging';
import { freeLoopbackPort } from '@safecity/persistence';
import type { RunningServiceApp } from '@safecity/service-kit';
import { createTestIdentity, type TestIdentity, createTestDatabase } from '@safecity/testing';
import request from 'supertest';
import { startCameraRegistry } from '../src/bootstrap';

/** Haversine distance in metres, computed here independently of the SQL. */
function metres(a: { lat: number; lon: number }, b: { lat: number; lon: number }) {
  const r = (d: number) => (d * Math.PI) / 180;
  const h =
    Math.sin(r(b.lat - a.lat) / 2) ** 2 +
    Math.cos(r(a.lat)) * Math.cos(r(b.lat)) * Math.sin(r(b.lon - a.lon) / 2) ** 2;
  return 6371008.8 * 2 * Math.asin(Math.sqrt(h));
}

describe('camera-registry: regions, districts, operations centers and camera search', () => {
  let db: { url: string; drop(): Promise<void> };
  let identity: TestIdentity;
  let api: ReturnType<typeof request.agent>;
  let service: RunningServiceApp;
  let url: string;
  let systemId: string;
  const cameras: {
    id: string;
    externalId: string;
    lat: number;
    lon: number;
    tags: string[];
    capabilities: string[];
  }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('camsearch');
    identity = await createTestIdentity();
    service = await startCameraRegistry({
      databaseUrl: db.url,
      transport: { kind: 'in-process', bus: new InProcessBus() },
      http: { port: 0 },
      grpcUrl: `127.0.0.1:${await freeLoopbackPort()}`,
      runMigrations: true,
      identity: identity.identity,
    });
    url = service.httpUrl;
    api = request.agent(url).set('authorization', await identity.bearer('admin'));
    systemId = (
      await api
        .post('/video-systems')
        .send({ regionCode: 'ALA', name: 'Almaty', vendor: 'milestone', ingestionMethod: 'canonical-push' })
        .expect(201)
    ).body.id;
    // A 7×7 grid around Republic Square, ~1.1 km apart, with tags and capabilities by position.
    for (let i = 0; i < 7; i++) {
      for (let j = 0; j < 7; j++) {
        const lat = 43.2 + i * 0.01;
        const lon = 76.88 + j * 0.014;
        const tags = [(i + j) % 3 === 0 ? 'school' : 'residential', ...(i === 3 ? ['transport-hub'] : [])];
        const capabilities = j % 2 === 0 ? ['plates', 'behaviour'] : ['faces'];
        const body = (
          await api
            .post('/cameras')
            .send({
              videoSystemId: systemId,
              externalId: `grid-${i}-${j}`,
              name: i === 0 && j === 0 ? 'Dostyk Ave corner' : `Grid ${i}/${j}`,
              address: `Street ${i}, building ${j}`,
              location: { lat, lon },
              capabilities,
              tags,
              districtCode: i === 3 && j === 3 ? 'ALA-ALMALY' : undefined,
              lifecycle: i === 6 && j === 6 ? 'maintenance' : 'active',
            })
            .expect(201)
        ).body;
        cameras.push({ id: body.id, externalId: body.externalId, lat, lon, tags, capabilities });
      }
    }
  }, 60_000);

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  const all = async (query: Record<string, string | number>) => {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 100; page++) {
      const res: request.Response = await api
        .get('/cameras')
        .query({ ...query, limit: 7, ...(cursor ? { cursor } : {}) })
        .expect(200);
      ids.push(...res.body.items.map((c: { id: string }) => c.id));
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    return ids.sort();
  };
  const expected = (pick: (c: (typeof cameras)[number]) => boolean) =>
    cameras
      .filter(pick)
      .map((c) => c.id)
      .sort();

  it('lists the 17 regions and 3 cities, and districts of Almaty, Astana and Shymkent', async () => {
    const regions = (await api.get('/regions').expect(200)).body;
    expect(regions).toHaveLength(20);
    expect(
      regions
        .filter((r: { kind: string }) => r.kind === 'city')
        .map((r: { code: string }) => r.code)
        .sort(),
    ).toEqual(['ALA', 'AST', 'SHY']);
    expect((await api.get('/regions/ALA/districts').expect(200)).body).toHaveLength(8);
    expect((await api.get('/regions/AST/districts').expect(200)).body).toHaveLength(5);
    expect((await api.get('/regions/SHY/districts').expect(200)).body).toHaveLength(5);
    await api.get('/regions/XX/districts').expect(404);
  });

  it('filters by bounding box', async () => {
    const box = { minLon: 76.9, minLat: 43.215, maxLon: 76.95, maxLat: 43.245 };
    expect(await all({ bbox: `${box.minLon},${box.minLat},${box.maxLon},${box.maxLat}` })).toEqual(
      expected(
        (c) => c.lon >= box.minLon && c.lon <= box.maxLon && c.lat >= box.minLat && c.lat <= box.maxLat,
      ),
    );
  });

  it('filters by radius with true distances, not the box around the circle', async () => {
    const centre = { lat: 43.23, lon: 76.922 };
    for (const radius of [500, 1500, 2500, 4000]) {
      const want = expected((c) => metres(centre, c) <= radius);
      expect(await all({ near: `${centre.lat},${centre.lon}`, radiusM: radius })).toEqual(want);
    }
  });

  it('filters by capability, tag, lifecycle, district and text', async () => {
    expect(await all({ capability: 'plates,behaviour' })).toEqual(
      expected((c) => c.capabilities.includes('plates')),
    );
    expect(await all({ capability: 'faces', tag: 'school' })).toEqual(
      expected((c) => c.capabilities.includes('faces') && c.tags.includes('school')),
    );
    expect(await all({ tag: 'transport-hub' })).toEqual(expected((c) => c.tags.includes('transport-hub')));
    expect(await all({ lifecycle: 'maintenance' })).toEqual(expected((c) => c.externalId === 'grid-6-6'));
    expect(await all({ districtCode: 'ALA-ALMALY' })).toEqual(expected((c) => c.externalId === 'grid-3-3'));
    expect(await all({ q: 'dostyk' })).toEqual(expected((c) => c.externalId === 'grid-0-0'));
    expect(await all({ q: 'grid-5-' })).toEqual(expected((c) => c.externalId.startsWith('grid-5-')));
    expect(await all({ q: '%_' })).toEqual([]);
    expect(await all({ status: 'unknown', regionCode: 'ALA' })).toHaveLength(49);
    expect(await all({ status: 'online' })).toEqual([]);
  });

  it('searches by text for a region-scoped user, with every other filter beside it', async () => {
    const operator = await identity.bearer('operator', ['ALA']);
    const res = await request(url)
      .get('/cameras')
      .query({ q: 'grid-5-', capability: 'faces', tag: 'residential', limit: 100 })
      .set('authorization', operator)
      .expect(200);
    expect(res.body.items.map((c: { externalId: string }) => c.externalId).sort()).toEqual(
      cameras
        .filter((c) => c.externalId.startsWith('grid-5-') && c.capabilities.includes('faces'))
        .filter((c) => c.tags.includes('residential'))
        .map((c) => c.externalId)
        .sort(),
    );
    const astana = await identity.bearer('operator', ['AST']);
    const none = await request(url).get('/cameras').query({ q: 'grid-5-' }).set('authorization', astana);
    expect([none.status, none.body.items]).toEqual([200, []]);
  });

  it.each([
    [{ bbox: '1,2,3' }, 'bbox'],
    [{ bbox: '77,43,76,44' }, 'bbox'],
    [{ bbox: 'a,b,c,d' }, 'bbox'],
    [{ near: '43.2,76.9' }, 'radiusM'],
    [{ radiusM: 100 }, 'near'],
    [{ near: '43.2,76.9', radiusM: 100000 }, 'radiusM'],
    [{ capability: 'x-ray' }, 'capability'],
    [{ status: 'asleep' }, 'status'],
    [{ q: 'x' }, 'q'],
  ])('answers 400 naming the parameter for %p', async (query, field) => {
    const res = await api.get('/cameras').query(query).expect(400);
    expect(res.body.problems.map((p: { field: string }) => p.field)).toContain(field);
  });

  it('refuses a district of another region with 422', async () => {
    const res = await api
      .post('/cameras')
      .send({
        videoSystemId: systemId,
        externalId: 'wrong-district',
        name: 'x',
        location: { lat: 43.25, lon: 76.9 },
        capabilities: [],
        districtCode: 'AST-YESIL',
      })
      .expect(422);
    expect(res.body.problems[0].field).toBe('districtCode');
  });

  it('routes a location to the operations centers covering it, the most specific first', async () => {
    const city = (
      await api
        .post('/operations-centers')
        .send({ name: 'Almaty city center', regionCode: 'ALA' })
        .expect(201)
    ).body;
    const almaly = (
      await api
        .post('/operations-centers')
        .send({ name: 'Almaly district center', regionCode: 'ALA', districtCode: 'ALA-ALMALY' })
        .expect(201)
    ).body;
    expect(almaly.coverage).toEqual({ minLon: 76.88, minLat: 43.23, maxLon: 76.96, maxLat: 43.28 });
    const covering = (
      await api.get('/operations-centers/covering').query({ lat: 43.25, lon: 76.92 }).expect(200)
    ).body;
    expect(covering.map((c: { id: string }) => c.id)).toEqual([almaly.id, city.id]);
    const outside = (
      await api.get('/operations-centers/covering').query({ lat: 51.13, lon: 71.43 }).expect(200)
    ).body;
    expect(outside).toEqual([]);
    await api.post('/operations-centers').send({ name: 'x', regionCode: 'ZZZ' }).expect(422);
    await api
      .post('/operations-centers')
      .send({ name: 'x', regionCode: 'AST', districtCode: 'ALA-ALMALY' })
      .expect(422);
  });
});
