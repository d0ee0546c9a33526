import fs from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { DatabaseSchema } from './database-schema.js';
import { migrateToLatest, migrations } from './migrations.js';
import { useTemporaryStores } from './temporary-store.test-support.js';

const temporaryStores = useTemporaryStores();

async function tableNames(db: Kysely<DatabaseSchema>): Promise<string[]> {
  const tables = await db.introspection.getTables();
  return tables.map((table) => table.name).sort();
}

describe('migrations', () => {
  it('creates every table, and running them again on the same file changes nothing', async () => {
    const { store: first, file } = await temporaryStores.open();
    await first.pipelines.create({
      name: 'kept',
      description: '',
      runner: { type: 'echo', settings: { delay_ms: 0 } },
    });
    await first.close();

    const { store: second } = await temporaryStores.open({ file });
    expect((await second.pipelines.list()).map((pipeline) => pipeline.name)).toEqual(['kept']);

    const { db } = await temporaryStores.open({ file, migrate: false });
    await migrateToLatest(db);
    expect(await tableNames(db)).toEqual([
      'api_keys',
      'conversations',
      'messages',
      'pipelines',
      'reply_progress',
      'sessions',
      'users',
    ]);
    const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    expect(applied.rows.map((row) => row.name)).toEqual(Object.keys(migrations));
  });

  it('names the migration that failed', async () => {
    const { db } = await temporaryStores.open({ migrate: false });
    // A stray table makes the initial migration's CREATE TABLE fail.
    await db.schema.createTable('pipelines').addColumn('x', 'text').execute();
    await expect(migrateToLatest(db)).rejects.toThrow(
      /Database migration 2026-11-24-001-initial failed: .*pipelines/,
    );
  });

  it('creates the parent directory and sets the pragmas', async () => {
    const file = path.join(temporaryStores.directory(), 'nested', 'deeper', 'botwire.db');
    const { db } = await temporaryStores.open({ file, migrate: false });
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
    const { store } = await temporaryStores.open({ file: ':memory:' });
    expect(await store.ping()).toBe(true);
    expect(await store.users.count()).toBe(0);
  });
});
