import { createIsolatedDatabase } from '@safecity/persistence';

/** URL of the shared test PostgreSQL server's admin database (set by the global setup). */
export function testDatabaseAdminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests through the root jest config');
  return url;
}

/** A fresh database for one suite; drop it in afterAll. */
export function createTestDatabase(prefix = 'test') {
  return createIsolatedDatabase(testDatabaseAdminUrl(), prefix);
}

export function kafkaBrokers(): string | undefined {
  return process.env.KAFKA_BROKERS || undefined;
}

/**
 * `describe` for suites that need real Kafka. Without a broker they are skipped loudly, or fail
 * the run when REQUIRE_KAFKA=1 (as in CI), so a missing broker can never pass as green.
 */
export function describeKafka(name: string, body: (brokers: () => string) => void): void {
  const brokers = kafkaBrokers();
  if (!brokers) {
    if (process.env.REQUIRE_KAFKA === '1') {
      describe(name, () => {
        it('needs a Kafka broker (REQUIRE_KAFKA=1)', () => {
          throw new Error('REQUIRE_KAFKA=1 but KAFKA_BROKERS is not set');
        });
      });
      return;
    }
    process.stderr.write(`\n!!! SKIPPED Kafka suite "${name}": no broker (set KAFKA_BROKERS)\n`);
    describe.skip(name, () => body(() => ''));
    return;
  }
  describe(name, () => body(() => brokers));
}

/** Polls `check` until it returns a truthy value or the time runs out. */
export async function eventually<T>(
  check: () => Promise<T> | T,
  { timeoutMs = 15_000, intervalMs = 50, message = 'condition' } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${message}${last ? `: ${String(last)}` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
