import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/**
 * The PostgreSQL server end-to-end tests create their databases on: `BOTWIRE_TEST_POSTGRES_URL`,
 * or the local server with the `postgres` user (trust authentication, as on CI). The server's
 * unit tests have the same helper in `storage/postgres-test-database.test-support.ts`; tests may
 * not import a package's sources, hence the twin.
 */
export const TEST_POSTGRES_URL =
  process.env.BOTWIRE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function onServer(statement: string): Promise<void> {
  const client = new pg.Client({
    connectionString: TEST_POSTGRES_URL,
    connectionTimeoutMillis: 3_000,
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A database of its own for a test: `botwire_test_<pid>_<random>`. */
export interface TestDatabase {
  name: string;
  /** What a server gets as `BOTWIRE_DATABASE_URL`. */
  url: string;
}

/**
 * Fresh PostgreSQL databases for the tests of one file, each made by the returned function and
 * all dropped after the file. When PostgreSQL is unreachable the tests are skipped, or fail when
 * `CI` is set (CI must not pass by skipping them).
 */
export function useTestPostgresDatabases(): () => Promise<TestDatabase> {
  const made: string[] = [];
  let unreachable: string | undefined;
  beforeAll(async () => {
    try {
      await onServer('select 1');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (process.env.CI !== undefined && process.env.CI !== '') {
        throw new Error(
          `PostgreSQL is not reachable at ${TEST_POSTGRES_URL} (${reason}). CI is set, so the PostgreSQL tests fail instead of being skipped: start PostgreSQL (.ci/run does) or point BOTWIRE_TEST_POSTGRES_URL at one.`,
          { cause: error },
        );
      }
      unreachable = reason;
    }
  });
  beforeEach((context) => {
    if (unreachable !== undefined) {
      context.skip(`PostgreSQL is not reachable at ${TEST_POSTGRES_URL}: ${unreachable}`);
    }
  });
  afterAll(async () => {
    // FORCE ends connections a killed server left behind.
    for (const name of made.splice(0))
      await onServer(`drop database if exists "${name}" with (force)`);
  });
  return async () => {
    const name = `botwire_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    await onServer(`create database "${name}"`);
    made.push(name);
    const url = new URL(TEST_POSTGRES_URL);
    url.pathname = `/${name}`;
    return { name, url: url.toString() };
  };
}
