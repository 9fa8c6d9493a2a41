import 'reflect-metadata';
import { Column, DataSource, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { serviceDataSourceOptions } from '@safecity/persistence';
import {
  createApplicationRole,
  enableRegionRowLevelSecurity,
  RegionOutOfScopeError,
  RegionScope,
  regionScoped,
  ScopedQueries,
  ScopedTransaction,
} from '../src';
import { createLoginMember, createTestSchema, dropRole, urlAs, type TestSchema } from './support';

@Entity({ name: 'cameras' })
class CameraRow {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'region_code' })
  regionCode!: string;

  @Column()
  name!: string;
}

const ALA = RegionScope.only(['ALA']);

describe('region scope: query filter and row-level security (API1:2023 object-level authorization)', () => {
  let db: TestSchema;
  let app: DataSource;

  beforeAll(async () => {
    db = await createTestSchema(
      'rls',
      async (q, schema, role) => {
        await q.query(`CREATE TABLE ${schema}.cameras (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(), region_code text NOT NULL, name text NOT NULL)`);
        await enableRegionRowLevelSecurity(q, schema, 'cameras');
        await createApplicationRole(q, role, schema);
      },
      [CameraRow],
    );
    await db.admin.query(`INSERT INTO cameras (region_code, name) VALUES
      ('ALA', 'ala-1'), ('ALA', 'ala-2'), ('ALA', 'ala-3'), ('AST', 'ast-1'), ('AST', 'ast-2'), ('SHY', 'shy-1')`);
    app = await db.app();
  });

  afterAll(() => db.close());

  const regionsOf = (rows: { region_code?: string; regionCode?: string }[]) =>
    [...new Set(rows.map((r) => r.region_code ?? r.regionCode))].sort();

  it('runs the service as the application role, which cannot bypass row-level security', async () => {
    const [who] = await app.query(
      `SELECT current_user AS "user", r.rolsuper, r.rolbypassrls FROM pg_roles r WHERE r.rolname = current_user`,
    );
    expect(who).toEqual({ user: db.role, rolsuper: false, rolbypassrls: false });
  });

  it('scopes queries built through the scoped context', async () => {
    const rows = await ScopedTransaction.run(app, ALA, (tx) =>
      tx.select(CameraRow, 'c').orderBy('c.name').getMany(),
    );
    expect(rows.map((r) => r.name)).toEqual(['ala-1', 'ala-2', 'ala-3']);
    const both = await new ScopedQueries(app).run(RegionScope.only(['ALA', 'SHY']), (tx) =>
      tx.select(CameraRow, 'c').getMany(),
    );
    expect(regionsOf(both)).toEqual(['ALA', 'SHY']);
  });

  it('hides other regions by row-level security alone, with the query filter removed', async () => {
    await ScopedTransaction.run(app, ALA, async ({ manager }) => {
      // Raw, unfiltered SQL: the second wall must hold on its own.
      expect(regionsOf(await manager.query('SELECT region_code FROM cameras'))).toEqual(['ALA']);
      const unfiltered = await manager.getRepository(CameraRow).find();
      expect(regionsOf(unfiltered)).toEqual(['ALA']);
      const astId = (await db.admin.query(`SELECT id FROM cameras WHERE region_code = 'AST' LIMIT 1`))[0].id;
      expect(await manager.getRepository(CameraRow).findOneBy({ id: astId })).toBeNull();
      // Writes reach only the scope's rows, too.
      const [, updated] = await manager.query(`UPDATE cameras SET name = name || '*'`);
      expect(updated).toBe(3);
      const [, deleted] = await manager.query(`DELETE FROM cameras WHERE region_code = 'AST'`);
      expect(deleted).toBe(0);
      throw new Rollback();
    }).catch((e: unknown) => {
      if (!(e instanceof Rollback)) throw e;
    });
  });

  it('refuses to create or move rows into a region outside the scope', async () => {
    const insert = ScopedTransaction.run(app, ALA, ({ manager }) =>
      manager.query(`INSERT INTO cameras (region_code, name) VALUES ('AST', 'smuggled')`),
    );
    await expect(insert).rejects.toThrow(/row-level security/);
    const move = ScopedTransaction.run(app, ALA, ({ manager }) =>
      manager.query(`UPDATE cameras SET region_code = 'AST' WHERE name = 'ala-1'`),
    );
    await expect(move).rejects.toThrow(/row-level security/);
    await expect(ScopedTransaction.run(app, ALA, async (tx) => tx.assertWritable('AST'))).rejects.toThrow(
      RegionOutOfScopeError,
    );
  });

  it('shows nothing while the setting is unset (fails closed)', async () => {
    expect(await app.query('SELECT count(*)::int AS n FROM cameras')).toEqual([{ n: 0 }]);
    await app.transaction(async (manager) => {
      expect(await manager.query('SELECT count(*)::int AS n FROM cameras')).toEqual([{ n: 0 }]);
    });
    const none = await ScopedTransaction.run(app, RegionScope.only([]), ({ manager }) =>
      manager.query('SELECT count(*)::int AS n FROM cameras'),
    );
    expect(none).toEqual([{ n: 0 }]);
    const all = await ScopedTransaction.run(app, RegionScope.allRegions(), ({ manager }) =>
      manager.query('SELECT count(*)::int AS n FROM cameras'),
    );
    expect(all).toEqual([{ n: 6 }]);
  });

  it('does not carry the setting over to the next transaction on the same pooled connection', async () => {
    const single = await db.app({ poolSize: 1 });
    const probe = `SELECT pg_backend_pid() AS pid, current_setting('app.regions', true) AS setting,
                          (SELECT count(*)::int FROM cameras) AS visible`;
    const [inside] = await ScopedTransaction.run(single, RegionScope.allRegions(), ({ manager }) =>
      manager.query(probe),
    );
    expect(inside).toMatchObject({ setting: '*', visible: 6 });
    const [after] = await single.query(probe);
    expect(after.pid).toBe(inside.pid);
    expect(after.setting === '' || after.setting === null).toBe(true);
    expect(after.visible).toBe(0);

    // Nor after a transaction that failed half way.
    await ScopedTransaction.run(single, RegionScope.allRegions(), async ({ manager }) => {
      await manager.query('SELECT 1');
      throw new Error('boom');
    }).catch(() => undefined);
    const [afterFailure] = await single.query(probe);
    expect(afterFailure).toMatchObject({ pid: inside.pid, visible: 0 });
  });

  it('cannot switch row-level security off as the application role', async () => {
    const attempts = [
      'ALTER TABLE cameras DISABLE ROW LEVEL SECURITY',
      'ALTER TABLE cameras NO FORCE ROW LEVEL SECURITY',
      'DROP POLICY region_scope ON cameras',
      `CREATE POLICY everything ON cameras USING (true)`,
      `ALTER ROLE ${db.role} BYPASSRLS`,
      'DROP TABLE cameras',
    ];
    for (const sql of attempts) {
      await expect(app.query(sql)).rejects.toThrow(/must be owner|permission denied/);
    }
    // row_security = off makes a filtered query an error rather than showing all rows.
    await expect(
      app.transaction(async (m) => {
        await m.query('SET LOCAL row_security = off');
        return m.query('SELECT * FROM cameras');
      }),
    ).rejects.toThrow(/row-level security/);
  });

  it('holds for a production-style login role that is only a member of the application role', async () => {
    const login = await createLoginMember(db.admin, db.role);
    const production = new DataSource(
      serviceDataSourceOptions({
        url: urlAs(db.url, login.name, login.password),
        schema: db.schema,
        entities: [],
        migrations: [],
        applicationRole: db.role,
      }),
    );
    await production.initialize();
    try {
      const [who] = await production.query('SELECT current_user AS cur, session_user AS ses');
      expect(who).toEqual({ cur: db.role, ses: login.name });
      await expect(production.query('SET ROLE postgres')).rejects.toThrow(/permission denied/);
      await production.transaction(async (m) => {
        await m.query('RESET ROLE');
        expect(await m.query('SELECT count(*)::int AS n FROM cameras')).toEqual([{ n: 0 }]);
        await expect(m.query('ALTER TABLE cameras DISABLE ROW LEVEL SECURITY')).rejects.toThrow(
          /must be owner/,
        );
      });
      const scoped = await ScopedTransaction.run(production, ALA, ({ manager }) =>
        manager.query('SELECT region_code FROM cameras'),
      );
      expect(regionsOf(scoped)).toEqual(['ALA']);
    } finally {
      await production.destroy();
      await dropRole(login.name);
    }
  });

  it('regionScoped filters ad-hoc query builders', async () => {
    const rows = await ScopedTransaction.run(app, RegionScope.allRegions(), ({ manager }) =>
      regionScoped(
        manager.createQueryBuilder().select('c.region_code', 'region_code').from('cameras', 'c'),
        RegionScope.only(['AST']),
      ).getRawMany(),
    );
    expect(regionsOf(rows)).toEqual(['AST']);
  });

  it('refuses to scope outside a transaction', async () => {
    await expect(ScopedTransaction.apply(app.manager, ALA)).rejects.toThrow(/inside a transaction/);
  });

  it('creates the application role idempotently and refuses one that could bypass row-level security', async () => {
    await createApplicationRole(db.admin, db.role, db.schema);
    const risky = `${db.role}_risky`;
    await db.admin.query(`CREATE ROLE "${risky}" NOLOGIN BYPASSRLS`);
    try {
      await expect(createApplicationRole(db.admin, risky, db.schema)).rejects.toThrow(/BYPASSRLS/);
    } finally {
      await dropRole(risky);
    }
    expect(() =>
      serviceDataSourceOptions({
        url: db.url,
        schema: 's',
        entities: [],
        migrations: [],
        applicationRole: 'x -c role=postgres',
      }),
    ).toThrow(RangeError);
  });
});

class Rollback extends Error {}
