import type { DynamicModule, INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { InProcessBus, type ConsumedRecord } from '@safecity/messaging';
import type { IdentitySetup, Principal, Role } from '@safecity/security';
import { Client } from 'pg';
import { createTestIdentity } from './identity';
import { createTestDatabase } from './infra';

/** A service's use cases on a database of their own, without a transport in front. */
export interface UseCaseHarness {
  app: INestApplicationContext;
  /** The in-process bus the service publishes to and consumes from. */
  bus: InProcessBus;
  get<T>(type: Type<T>): T;
  /** A person with these roles in these regions (default Almaty). */
  person(roles: Role | Role[], regions?: string[] | 'all', subject?: string): Principal;
  /** Records published on the observed topics since the start. */
  published: ConsumedRecord[];
  /** SQL as the schema's owner (for what a use case wrote beside its answer). */
  query<T = Record<string, unknown>>(sql: string, parameters?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export interface UseCaseHarnessOptions {
  /** Prefix of the test database's name and of the observer's consumer group. */
  prefix: string;
  /** The service's schema, where `query` runs. */
  schema: string;
  migrate(databaseUrl: string): Promise<unknown>;
  /** Topics whose records `published` collects. */
  observe: readonly string[];
  /** The service's module over this database, bus and identity. */
  module(infrastructure: {
    databaseUrl: string;
    bus: InProcessBus;
    identity: IdentitySetup;
  }): DynamicModule | Promise<DynamicModule>;
}

let people = 0;

/** Starts a service's module for its use-case specs: real PostgreSQL, the in-process bus. */
export async function startUseCaseHarness(options: UseCaseHarnessOptions): Promise<UseCaseHarness> {
  const db = await createTestDatabase(options.prefix);
  await options.migrate(db.url);
  const identity = await createTestIdentity();
  const bus = new InProcessBus();
  const published: ConsumedRecord[] = [];
  bus.subscribe(
    `${options.prefix}-observer`,
    [...options.observe],
    async (record) => void published.push(record),
  );
  const app = await NestFactory.createApplicationContext(
    await options.module({ databaseUrl: db.url, bus, identity: identity.identity }),
    { logger: false, abortOnError: false },
  );
  await app.init();
  return {
    app,
    bus,
    get: (type) => app.get(type),
    person: (roles, regions = ['ALA'], subject = `person-${++people}`) => ({
      kind: roles === 'service' ? 'service' : 'user',
      subject,
      roles: Array.isArray(roles) ? roles : [roles],
      regions,
    }),
    published,
    query: async (sql, parameters) => {
      const client = new Client({ connectionString: db.url });
      await client.connect();
      try {
        await client.query(`SET search_path TO ${options.schema}`);
        return (await client.query(sql, parameters)).rows as never[];
      } finally {
        await client.end();
      }
    },
    close: async () => {
      await app.close();
      bus.close();
      await db.drop();
    },
  };
}
