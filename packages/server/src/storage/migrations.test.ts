import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, migrations } from './migrations.js';
import { sqlDialectOf } from './sql-dialect.js';
import {
  STORE_DIALECTS,
  useTemporaryStores,
  type TemporaryStore,
} from './temporary-store.test-support.js';

/** The store's tables (PostgreSQL lists every schema's, so only the store's own schema counts). */
async function tableNames({ db, dialect, location }: TemporaryStore): Promise<string[]> {
  const tables = await db.introspection.getTables();
  return tables
    .filter((table) => dialect === 'sqlite' || table.schema === location)
    .map((table) => table.name)
    .sort();
}

describe.each(STORE_DIALECTS)('migrations on %s', (dialect) => {
  const temporaryStores = useTemporaryStores(dialect);

  it('creates every table, and running them again on the same store changes nothing', async () => {
    const { store: first, location } = await temporaryStores.open();
    await first.pipelines.create({
      name: 'kept',
      description: '',
      runner: { type: 'echo', settings: { delay_ms: 0 } },
    });
    await first.close();

    const { store: second } = await temporaryStores.open({ location });
    expect((await second.pipelines.list()).map((pipeline) => pipeline.name)).toEqual(['kept']);

    const third = await temporaryStores.open({ location, migrate: false });
    const { db } = third;
    expect(sqlDialectOf(db)).toBe(dialect);
    await migrateToLatest(db);
    expect(await tableNames(third)).toEqual([
      'api_keys',
      'conversations',
      // Image bytes are files beside SQLite, bytea rows beside PostgreSQL.
      ...(dialect === 'postgres' ? ['image_data'] : []),
      'images',
      'messages',
      'pipeline_widgets',
      'pipelines',
      'reply_progress',
      'server_secrets',
      'sessions',
      'users',
    ]);
    const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    expect(applied.rows.map((row) => row.name)).toEqual(Object.keys(migrations));
  });

  /** The messages table's indexes of a fresh store: name to definition. */
  const messageIndexes = async (): Promise<Map<string, string>> => {
    const { db, location } = await temporaryStores.open();
    const definitions =
      dialect === 'sqlite'
        ? await sql<{ name: string; definition: string }>`
            select name, sql as definition from sqlite_master
            where type = 'index' and tbl_name = 'messages'`.execute(db)
        : await sql<{ name: string; definition: string }>`
            select indexname as name, indexdef as definition from pg_indexes
            where tablename = 'messages' and schemaname = ${location}`.execute(db);
    return new Map(definitions.rows.map((row) => [row.name, row.definition]));
  };

  it('indexes only the replies still streaming, not every message by status', async () => {
    const byName = await messageIndexes();
    expect(byName.has('messages_status_index')).toBe(false);
    expect(byName.get('messages_streaming_index')).toMatch(/where.*status.*=.*'streaming'/i);
  });

  it('keeps client_ids unique per conversation with an index of the messages that have one', async () => {
    const byName = await messageIndexes();
    expect(byName.has('messages_conversation_id_client_id_unique')).toBe(false);
    expect(byName.get('messages_client_id_unique')).toMatch(
      /unique.*where.*client_id.*is not null/i,
    );
  });

  it('names the migration that failed', async () => {
    const { db } = await temporaryStores.open({ migrate: false });
    // A stray table makes the initial migration's CREATE TABLE fail.
    await db.schema.createTable('pipelines').addColumn('x', 'text').execute();
    await expect(migrateToLatest(db)).rejects.toThrow(
      /Database migration 2026-11-24-001-initial failed: .*pipelines/,
    );
  });
});

describe('migrations on sqlite only', () => {
  const temporaryStores = useTemporaryStores('sqlite');

  it('creates the parent directory and sets the pragmas', async () => {
    const file = path.join(temporaryStores.directory(), 'nested', 'deeper', 'botwire.db');
    const { db } = await temporaryStores.open({ location: file, migrate: false });
    expect(fs.existsSync(path.dirname(file))).toBe(true);
    const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
    expect(journal.rows[0]?.journal_mode).toBe('wal');
    const foreignKeys = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
    expect(foreignKeys.rows[0]?.foreign_keys).toBe(1);
    const busy = await sql<{ timeout: number }>`pragma busy_timeout`.execute(db);
    expect(busy.rows[0]?.timeout).toBe(5000);
    const synchronous = await sql<{ synchronous: number }>`pragma synchronous`.execute(db);
    expect(synchronous.rows[0]?.synchronous).toBe(1);
  });

  it('works in memory', async () => {
    const { store } = await temporaryStores.open({ location: ':memory:' });
    expect(await store.ping()).toBe(true);
    expect(await store.users.count()).toBe(0);
  });
});
