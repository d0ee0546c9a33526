import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/**
 * The PostgreSQL server the tests create their databases on: `BOTWIRE_TEST_POSTGRES_URL`, or the
 * local server with the `postgres` user (trust authentication, as on CI and this machine).
 */
export const TEST_POSTGRES_URL =
  process.env.BOTWIRE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A database made for one test file, dropped by {@link TestPostgresDatabase.drop}. */
export interface TestPostgresDatabase {
  name: string;
  /** URL of the database (the server's URL with this database). */
  url: string;
  drop(): Promise<void>;
}

async function onServer<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    connectionString: TEST_POSTGRES_URL,
    connectionTimeoutMillis: 3_000,
  });
  // A failure after connecting is reported by the query; the listener keeps it from crashing.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates an empty database with a name no other test process uses
 * (`botwire_test_<pid>_<random>`). Rejects when PostgreSQL cannot be reached.
 */
export async function createTestPostgresDatabase(): Promise<TestPostgresDatabase> {
  const name = `botwire_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await onServer((client) => client.query(`create database "${name}"`));
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    // FORCE ends connections a failed test left open, so the database never outlives the run.
    drop: () =>
      onServer((client) => client.query(`drop database if exists "${name}" with (force)`)).then(
        () => undefined,
      ),
  };
}

/**
 * What to do when PostgreSQL is unreachable: under CI (`CI` set) the PostgreSQL tests must
 * fail, so this returns the error to throw; elsewhere they are skipped, and this returns
 * undefined.
 */
export function unreachablePostgresError(cause: unknown): Error | undefined {
  if (process.env.CI === undefined || process.env.CI === '') return undefined;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new Error(
    `PostgreSQL is not reachable at ${TEST_POSTGRES_URL} (${reason}). CI is set, so the PostgreSQL variants of the tests fail instead of being skipped: start PostgreSQL (.ci/run does) or point BOTWIRE_TEST_POSTGRES_URL at one.`,
    { cause },
  );
}

/**
 * PostgreSQL for one test file (or `describe`): creates its database before the first test and
 * drops it after the last; call the returned function in a test to get it. When PostgreSQL is
 * unreachable the tests are skipped, or fail when `CI` is set.
 */
export function usePostgresTestDatabase(): () => TestPostgresDatabase {
  let database: TestPostgresDatabase | undefined;
  let unreachable: string | undefined;
  beforeAll(async () => {
    try {
      database = await createTestPostgresDatabase();
    } catch (error) {
      const failure = unreachablePostgresError(error);
      if (failure !== undefined) throw failure;
      unreachable = error instanceof Error ? error.message : String(error);
    }
  });
  beforeEach((context) => {
    if (unreachable !== undefined) {
      context.skip(`PostgreSQL is not reachable at ${TEST_POSTGRES_URL}: ${unreachable}`);
    }
  });
  afterAll(async () => {
    await database?.drop();
  });
  return () => {
    if (database === undefined) throw new Error('The test PostgreSQL database was not created.');
    return database;
  };
}
