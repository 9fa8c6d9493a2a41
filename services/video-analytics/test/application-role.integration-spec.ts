import { createTestDatabase } from '@safecity/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { migrateVideoAnalytics } from '../src/bootstrap';
import { VIDEO_ANALYTICS_APP_ROLE } from '../src/schema';
import { videoAnalyticsDataSourceOptions } from '../src/video-analytics.module';

describe('video-analytics at runtime acts as its application role', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let runtime: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('va_role');
    await migrateVideoAnalytics(db.url);
    // Another service's table in the same database, as in production.
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    await admin.query('CREATE SCHEMA incidents; CREATE TABLE incidents.incidents (id int)');
    await admin.end();
    runtime = await new DataSource(videoAnalyticsDataSourceOptions(db.url)).initialize();
  });

  afterAll(async () => {
    await runtime?.destroy();
    await db?.drop();
  });

  it('is the role, neither a superuser nor able to bypass row-level security', async () => {
    const [who] = (await runtime.query(
      'SELECT current_user AS "user", r.rolsuper, r.rolbypassrls FROM pg_roles r WHERE r.rolname = current_user',
    )) as { user: string; rolsuper: boolean; rolbypassrls: boolean }[];
    expect(who).toEqual({ user: VIDEO_ANALYTICS_APP_ROLE, rolsuper: false, rolbypassrls: false });
  });

  it('reads and writes its own tables: the media read model, the outbox and the inbox', async () => {
    await runtime.query(
      `INSERT INTO video_analytics.camera_sources (camera_id, version, removed, source)
       VALUES ('00000000-0000-4000-8000-000000000001', 1, false, NULL)`,
    );
    await runtime.query(
      `UPDATE video_analytics.camera_sources SET version = 2 WHERE camera_id = '00000000-0000-4000-8000-000000000001'`,
    );
    await runtime.query(
      `INSERT INTO video_analytics.outbox (event_id, topic, key, headers, payload) VALUES ('e1', 't', 'k', '{}', '\\x00')`,
    );
    await runtime.query(`DELETE FROM video_analytics.outbox WHERE event_id = 'e1'`);
    await runtime.query(
      `INSERT INTO video_analytics.inbox (consumer_group, event_id, topic) VALUES ('g', 'e1', 't')`,
    );
    expect(await runtime.query('SELECT version FROM video_analytics.camera_sources')).toEqual([
      { version: '2' },
    ]);
  });

  it('changes no schema and reads no other service', async () => {
    await expect(runtime.query('CREATE TABLE video_analytics.extra (id int)')).rejects.toThrow(
      /permission denied/,
    );
    await expect(runtime.query('DROP TABLE video_analytics.camera_sources')).rejects.toThrow(/must be owner/);
    await expect(runtime.query('SELECT * FROM incidents.incidents')).rejects.toThrow(/permission denied/);
  });

  it('loses its grants when the migration is undone, and gets them back when it runs again', async () => {
    const migrations = await new DataSource(
      videoAnalyticsDataSourceOptions(db.url, 'migrations'),
    ).initialize();
    try {
      await migrations.undoLastMigration();
      await expect(runtime.query('SELECT 1 FROM video_analytics.camera_sources')).rejects.toThrow(
        /permission denied/,
      );
      await migrations.runMigrations();
      expect(await runtime.query('SELECT count(*)::int AS n FROM video_analytics.camera_sources')).toEqual([
        { n: 1 },
      ]);
    } finally {
      await migrations.destroy();
    }
  });
});
