import { QueryFailedError, type DataSource } from 'typeorm';
import { createIsolatedDatabase, createServiceDataSource, preparedQuery, statementName } from '../src';

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests through the root jest config');
  return url;
}

describe('prepared statements', () => {
  let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createIsolatedDatabase(adminUrl(), 'prepared');
    dataSource = createServiceDataSource({
      url: database.url,
      schema: 'svc',
      entities: [],
      migrations: [],
      poolSize: 1,
    });
    await dataSource.initialize();
    await dataSource.query('CREATE SCHEMA svc');
    await dataSource.query('CREATE TABLE svc.readings (id int PRIMARY KEY, state int NOT NULL)');
    await dataSource.query('INSERT INTO svc.readings SELECT i, i % 5 FROM generate_series(1, 2000) AS i');
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const preparedOnConnection = (name: string) =>
    dataSource.query(
      `SELECT statement, generic_plans::int AS generic, custom_plans::int AS custom
         FROM pg_prepared_statements WHERE name = $1`,
      [name],
    ) as Promise<{ statement: string; generic: number; custom: number }[]>;

  it('names a statement after its text: the same text the same name, another text another', () => {
    const sql = 'SELECT id FROM readings WHERE id = ANY($1::int[])';
    expect(statementName(sql)).toBe(statementName(`${sql}`));
    expect(statementName(sql)).not.toBe(statementName(`${sql} ORDER BY id`));
    expect(statementName(sql)).toMatch(/^s_[0-9a-f]{24}$/);
  });

  it('answers like EntityManager.query and is prepared once on the connection, then planned no more', async () => {
    const sql = 'SELECT state FROM readings WHERE id = $1';
    const answers: unknown[] = [];
    for (let i = 1; i <= 8; i++) {
      answers.push(await dataSource.transaction((m) => preparedQuery(m, sql, [5 * i + 1])));
    }
    expect(answers).toEqual(Array.from({ length: 8 }, () => [{ state: 1 }]));
    // One connection in the pool: the statement the loop prepared is still there.
    const [prepared] = await preparedOnConnection(statementName(sql));
    expect(prepared.statement).toBe(sql);
    // Five custom plans, then the cached generic one (its cost does not depend on the value).
    expect(prepared).toMatchObject({ custom: 5, generic: 3 });
  });

  it('leaves the plan choice to PostgreSQL on service connections', async () => {
    // Forcing generic plans would reach unnamed statements too: a partial index then serves
    // none of them (a count over 2,000,000 rows through one took 61 ms instead of 1.5).
    const [{ plan_cache_mode: mode }] = await dataSource.query('SHOW plan_cache_mode');
    expect(mode).toBe('auto');
  });

  it('fails like EntityManager.query, and the statement works again after', async () => {
    const sql = 'INSERT INTO readings (id, state) VALUES ($1, $2)';
    await dataSource.transaction((m) => preparedQuery(m, sql, [5001, 1]));
    const failure = dataSource.transaction((m) => preparedQuery(m, sql, [5001, 2]));
    await expect(failure).rejects.toBeInstanceOf(QueryFailedError);
    await expect(failure).rejects.toMatchObject({ driverError: { code: '23505' } });
    await dataSource.transaction((m) => preparedQuery(m, sql, [5002, 2]));
    expect(await dataSource.query('SELECT id FROM svc.readings WHERE id > 5000 ORDER BY id')).toEqual([
      { id: 5001 },
      { id: 5002 },
    ]);
  });
});
