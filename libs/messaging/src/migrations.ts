import type { QueryRunner } from 'typeorm';

/**
 * The outbox and inbox tables live in each service's own schema, so that a state change and its
 * event (or an event and its effect) commit in one local transaction. Called from every service's
 * first migration.
 */
export async function createMessagingTables(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`
    CREATE TABLE "${schema}".outbox (
      position   bigserial PRIMARY KEY,
      event_id   text        NOT NULL UNIQUE,
      topic      text        NOT NULL,
      key        text        NOT NULL,
      headers    jsonb       NOT NULL,
      payload    bytea       NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
  await queryRunner.query(`
    CREATE TABLE "${schema}".inbox (
      consumer_group text        NOT NULL,
      event_id       text        NOT NULL,
      topic          text        NOT NULL,
      processed_at   timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer_group, event_id)
    )`);
  await queryRunner.query(`CREATE INDEX inbox_processed_at_idx ON "${schema}".inbox (processed_at)`);
}

export async function dropMessagingTables(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`DROP TABLE IF EXISTS "${schema}".inbox`);
  await queryRunner.query(`DROP TABLE IF EXISTS "${schema}".outbox`);
}
