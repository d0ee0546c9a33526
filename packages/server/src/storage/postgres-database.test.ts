import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { BotwireError } from '../errors/botwire-error.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { KyselyStore } from './kysely-store.js';
import { migrateToLatest } from './migrations.js';
import { openPostgresStore, openStore } from './open-store.js';
import { createPostgresDatabase, describePostgresUrl } from './postgres-database.js';
import {
  createTestPostgresDatabase,
  usePostgresTestDatabase,
} from './postgres-test-database.test-support.js';
import { useTemporaryStores } from './temporary-store.test-support.js';

/** A logger whose lines the test can read. */
function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'warn',
    destination: { write: (line: string) => void lines.push(line) },
  });
  return { logger, lines };
}

/** A loopback port nothing listens on: taken from the OS, then released. */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Rejects with a BotwireError of `code`, or fails the test. */
async function expectBotwireError(promise: Promise<unknown>, code: string): Promise<BotwireError> {
  const error: unknown = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(BotwireError);
  expect((error as BotwireError).code).toBe(code);
  return error as BotwireError;
}

describe('the PostgreSQL store', () => {
  const database = usePostgresTestDatabase();
  const temporaryStores = useTemporaryStores('postgres');

  it('is chosen by databaseUrl (the password hidden from logs); SQLite under dataDir otherwise', async () => {
    const { logger } = recordingLogger();
    const dataDir = temporaryStores.directory();
    const sqlite = await openStore(
      { dataDir, databaseFile: 'botwire.sqlite', databasePoolSize: 2 },
      logger,
    );
    await sqlite.store.close();
    expect(sqlite.dialect).toBe('sqlite');
    expect(sqlite.location).toBe(path.join(dataDir, 'botwire.sqlite'));
    expect(fs.existsSync(sqlite.location)).toBe(true);

    // Trust authentication ignores the password, so the URL may carry one to be hidden.
    const url = new URL(database().url);
    url.password = 'not-for-logs';
    const postgres = await openStore(
      { dataDir, databaseFile: 'botwire.sqlite', databaseUrl: url.toString(), databasePoolSize: 2 },
      logger,
    );
    try {
      expect(postgres.dialect).toBe('postgres');
      expect(postgres.location).toContain(`:***@127.0.0.1:5432/${database().name}`);
      expect(postgres.location).not.toContain('not-for-logs');
      expect(await postgres.store.ping()).toBe(true);
      const pipeline = await postgres.store.pipelines.create({
        name: 'P',
        description: '',
        runner: { type: 'echo', settings: { delay_ms: 0 } },
      });
      expect(await postgres.store.pipelines.get(pipeline.uuid)).toEqual(pipeline);
    } finally {
      await postgres.store.close();
    }
  });

  it('lets several servers starting at once on a new database migrate it one at a time', async () => {
    const { logger } = recordingLogger();
    const fresh = await createTestPostgresDatabase();
    try {
      const stores = await Promise.all(
        [1, 2, 3].map(() => openPostgresStore({ url: fresh.url, poolSize: 2, logger })),
      );
      try {
        const created = await Promise.all(
          stores.map((store, index) =>
            store.users.create({ username: `u${index}`, passwordHash: 'h', role: 'member' }),
          ),
        );
        expect(new Set(created.map((user) => user.id)).size).toBe(3);
        expect(await stores[0]?.users.count()).toBe(3);
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
    } finally {
      await fresh.drop();
    }
  });

  it('refuses to start on a database it cannot reach, naming it without the password', async () => {
    const port = await deadPort();
    const { logger } = recordingLogger();
    const error = await expectBotwireError(
      openPostgresStore({
        url: `postgres://postgres:not-for-logs@127.0.0.1:${port}/botwire`,
        poolSize: 1,
        logger,
      }),
      'DATABASE_UNAVAILABLE',
    );
    expect(error.message).toContain(`postgres://postgres:***@127.0.0.1:${port}/botwire`);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).not.toContain('not-for-logs');
  });

  it('hides passwords given as query parameters too', () => {
    expect(
      describePostgresUrl('postgres://u@db:5432/b?password=one&sslpassword=two&sslmode=require'),
    ).toBe('postgres://u@db:5432/b?password=***&sslpassword=***&sslmode=require');
  });

  it('refuses to start when no schema on the search_path exists, saying what to create', async () => {
    const { logger } = recordingLogger();
    const url = new URL(database().url);
    url.searchParams.set('options', '-c search_path=missing_schema');
    await expect(openPostgresStore({ url: url.toString(), poolSize: 1, logger })).rejects.toThrow(
      /no schema to create tables in.*create schema botwire/,
    );
  });

  it('answers with DATABASE_UNAVAILABLE and a failed ping, never a crash, while the database is unreachable', async () => {
    const { logger } = recordingLogger();
    const store = new KyselyStore(
      createPostgresDatabase({
        url: `postgres://postgres@127.0.0.1:${await deadPort()}/botwire`,
        poolSize: 2,
        logger,
      }),
    );
    try {
      expect(await store.ping()).toBe(false);
      await expectBotwireError(store.pipelines.list(), 'DATABASE_UNAVAILABLE');
      await expectBotwireError(
        store.messages.insertUserMessage({
          conversationId: 1,
          chain: [{ type: 'Plain', text: 'hi' }],
          content: 'hi',
          sender: { id: 'alice', name: 'Alice' },
          connectionId: null,
          clientId: 'k',
        }),
        'DATABASE_UNAVAILABLE',
      );
      await expectBotwireError(store.conversations.reserveSeq(1, 10), 'DATABASE_UNAVAILABLE');
    } finally {
      await store.close();
    }
  });

  it('survives the server ending its connections: a query in flight fails typed, idle ones are logged, the next query reconnects', async () => {
    const { logger, lines } = recordingLogger();
    const db = createPostgresDatabase({ url: database().url, poolSize: 2, logger });
    const store = new KyselyStore(db);
    const admin = new pg.Client({ connectionString: database().url });
    admin.on('error', () => undefined);
    await admin.connect();
    try {
      await migrateToLatest(db);
      // Two queries at once leave two pooled connections: one for the sleep, one idle.
      await Promise.all([store.ping(), store.ping()]);
      const outcome = sql`select pg_sleep(30)`.execute(db).then(
        () => undefined,
        (error: unknown) => error,
      );
      await vi.waitFor(
        async () => {
          const { rows } = await admin.query<{ count: string }>(
            "select count(*) as count from pg_stat_activity where query = 'select pg_sleep(30)' and state = 'active'",
          );
          expect(Number(rows[0]?.count)).toBe(1);
        },
        { timeout: 5_000, interval: 20 },
      );
      // What a PostgreSQL restart does to every connection: 57P01, admin shutdown.
      await admin.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and application_name = 'botwire'",
      );
      const error = await outcome;
      expect(error).toBeInstanceOf(BotwireError);
      expect((error as BotwireError).code).toBe('DATABASE_UNAVAILABLE');
      expect((error as BotwireError).cause).toMatchObject({ code: '57P01' });
      expect(lines.filter((line) => line.includes('PostgreSQL cannot be reached'))).toHaveLength(1);
      expect(lines.join('')).toContain('terminating connection due to administrator command');
      // The idle connection's failure arrives as an event, which would end the process unheard.
      await vi.waitFor(
        () =>
          expect(lines.some((line) => line.includes('an idle PostgreSQL connection failed'))).toBe(
            true,
          ),
        { timeout: 5_000, interval: 20 },
      );

      // The pool dropped the dead connections and opens new ones for the next queries.
      expect(await store.ping()).toBe(true);
      expect(await store.users.count()).toBe(0);
      expect(lines.some((line) => line.includes('PostgreSQL can be reached again'))).toBe(true);
    } finally {
      await admin.end();
      await store.close();
    }
  });

  it('refuses text PostgreSQL cannot store (NUL) with VALIDATION_FAILED, storing nothing', async () => {
    const { store } = await temporaryStores.open();
    const pipeline = await store.pipelines.create({
      name: 'P',
      description: '',
      runner: { type: 'echo', settings: { delay_ms: 0 } },
    });
    const conversation = await store.conversations.getOrCreate({
      pipelineUuid: pipeline.uuid,
      sessionType: 'person',
      key: 'alice',
    });
    const error = await expectBotwireError(
      store.messages.insertUserMessage({
        conversationId: conversation.id,
        chain: [{ type: 'Plain', text: 'a\u0000b' }],
        content: 'a\u0000b',
        sender: { id: 'alice', name: 'Alice' },
        connectionId: null,
        clientId: null,
      }),
      'VALIDATION_FAILED',
    );
    expect(error.message).toContain('NUL');
    const page = await store.messages.listHistory({ conversationId: conversation.id, limit: 10 });
    expect(page.messages).toEqual([]);
  });
});
