import { testDatabaseAdminUrl } from '@safecity/testing';
import { Client } from 'pg';
import { distanceMetres, distanceMetresSql } from '../src/geo';

describe('distanceMetresSql in PostgreSQL', () => {
  let client: Client;

  beforeAll(async () => {
    client = new Client({ connectionString: testDatabaseAdminUrl() });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
  });

  it.each([
    ['across a street', { lat: 43.25, lon: 76.9 }, { lat: 43.2503, lon: 76.9004 }],
    ['Almaty to Astana', { lat: 43.2389, lon: 76.8897 }, { lat: 51.1282, lon: 71.4307 }],
    ['a point to itself', { lat: 43.25, lon: 76.9 }, { lat: 43.25, lon: 76.9 }],
    ['antipodes', { lat: 0, lon: 0 }, { lat: 0, lon: 180 }],
  ])('agrees with distanceMetres %s', async (_name, a, b) => {
    const sql = distanceMetresSql(
      { lat: '$1::float8', lon: '$2::float8' },
      { lat: '$3::float8', lon: '$4::float8' },
    );
    const { rows } = await client.query(`SELECT ${sql} AS metres`, [a.lat, a.lon, b.lat, b.lon]);
    expect(Number(rows[0].metres)).toBeCloseTo(distanceMetres(a, b), 3);
  });
});
