import type { DataSource } from 'typeorm';
import { createIsolatedDatabase, createServiceDataSource, NoUnitOfWorkError, UnitOfWork } from '../src';

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests through the root jest config');
  return url;
}

describe('UnitOfWork', () => {
  let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;
  let dataSource: DataSource;
  let other: DataSource;
  let unit: UnitOfWork;

  beforeAll(async () => {
    database = await createIsolatedDatabase(adminUrl(), 'uow');
    const open = async (schema: string) => {
      const ds = createServiceDataSource({
        url: database.url,
        schema,
        entities: [],
        migrations: [],
        poolSize: 2,
      });
      await ds.initialize();
      await ds.query(`CREATE SCHEMA ${schema}`);
      await ds.query(`CREATE TABLE ${schema}.notes (id int PRIMARY KEY)`);
      return ds;
    };
    dataSource = await open('svc');
    other = await open('othersvc');
    unit = new UnitOfWork(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await other?.destroy();
    await database?.drop();
  });

  const ids = async () =>
    (await dataSource.query(`SELECT id FROM notes ORDER BY id`)).map((r: { id: number }) => r.id);

  it('commits the work and runs what waits for the commit only afterwards', async () => {
    const seen: number[][] = [];
    await unit.run(async (manager) => {
      await manager.query(`INSERT INTO notes VALUES (1)`);
      unit.afterCommit(() => void ids().then((rows) => seen.push(rows)));
      // Not committed yet: another connection does not see the row.
      expect(await dataSource.query(`SELECT id FROM notes`)).toEqual([]);
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toEqual([[1]]);
  });

  it('rolls everything back on an error and runs nothing that waited for a commit', async () => {
    const ran: string[] = [];
    const stop = unit.onCommit(() => ran.push('listener'));
    await expect(
      unit.run(async (manager) => {
        await manager.query(`INSERT INTO notes VALUES (2)`);
        unit.afterCommit(() => ran.push('hook'));
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    stop();
    expect(await ids()).toEqual([1]);
    expect(ran).toEqual([]);
  });

  it('is joined by everything called inside it: one transaction, hooks after the outer commit', async () => {
    const order: string[] = [];
    const stop = unit.onCommit(() => order.push('listener'));
    await unit.run(async (outer) => {
      const [{ txid: outerTx }] = await outer.query(`SELECT txid_current()::text AS txid`);
      await unit.run(async (inner) => {
        expect(inner).toBe(unit.manager);
        const [{ txid }] = await inner.query(`SELECT txid_current()::text AS txid`);
        expect(txid).toBe(outerTx);
        unit.afterCommit(() => order.push('inner hook'));
      });
      order.push('outer work done');
    });
    stop();
    expect(order).toEqual(['outer work done', 'inner hook', 'listener']);
  });

  it('sets transaction-local settings that end with the unit', async () => {
    const seen = await unit.run(
      async (manager) => (await manager.query(`SELECT current_setting('app.regions', true) AS v`))[0].v,
      { settings: { 'app.regions': 'ALA,AST' } },
    );
    expect(seen).toBe('ALA,AST');
    // Every pooled connection is clean afterwards.
    const after = await Promise.all(
      [0, 1].map(() => dataSource.query(`SELECT coalesce(current_setting('app.regions', true), '') AS v`)),
    );
    expect(after.map((rows) => rows[0].v)).toEqual(['', '']);
    await expect(unit.run(async () => 1, { settings: { "app.x'; --": 'y' } })).rejects.toThrow(RangeError);
  });

  it('refuses a write step outside a unit of work instead of running it on its own', () => {
    expect(() => unit.manager).toThrow(NoUnitOfWorkError);
    expect(() => unit.afterCommit(() => undefined)).toThrow(NoUnitOfWorkError);
  });

  it('keeps the units of two data sources in one process apart', async () => {
    const otherUnit = new UnitOfWork(other);
    const sameSourceAgain = new UnitOfWork(dataSource);
    await unit.run(async () => {
      expect(unit.active).toBe(true);
      expect(otherUnit.active).toBe(false);
      expect(sameSourceAgain.active).toBe(false);
      await otherUnit.run(async (manager) => {
        await manager.query(`INSERT INTO notes VALUES (7)`);
      });
      expect(unit.active).toBe(true);
    });
    expect(await other.query(`SELECT id FROM notes`)).toEqual([{ id: 7 }]);
  });

  it('opens the unit with the isolation level asked for', async () => {
    const level = await unit.run(
      async (manager) => (await manager.query(`SHOW transaction_isolation`))[0].transaction_isolation,
      { isolationLevel: 'REPEATABLE READ' },
    );
    expect(level).toBe('repeatable read');
  });

  it('keeps going when a step after the commit fails: the commit stands', async () => {
    const after: string[] = [];
    await unit.run(async (manager) => {
      await manager.query(`INSERT INTO notes VALUES (3)`);
      unit.afterCommit(() => {
        throw new Error('live feed down');
      });
      unit.afterCommit(() => after.push('relay woken'));
    });
    expect(after).toEqual(['relay woken']);
    expect(await ids()).toEqual([1, 3]);
  });
});
