import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatabaseSchema } from './database-schema.js';
import { openSqliteStore, type KyselyStore } from './kysely-store.js';
import { migrateToLatest } from './migrations.js';
import { createSqliteDatabase } from './sqlite-database.js';

const directories: string[] = [];
const stores: KyselyStore[] = [];
const databases: Kysely<DatabaseSchema>[] = [];

function temporaryFile(name = 'botwire.db'): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'botwire-store-'));
  directories.push(directory);
  return path.join(directory, name);
}

afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
  await Promise.all(databases.splice(0).map((db) => db.destroy()));
  for (const directory of directories.splice(0))
    fs.rmSync(directory, { recursive: true, force: true });
});

async function tableNames(db: Kysely<DatabaseSchema>): Promise<string[]> {
  const tables = await db.introspection.getTables();
  return tables.map((table) => table.name).sort();
}

describe('migrations', () => {
  it('creates every table, and running them again on the same file changes nothing', async () => {
    const file = temporaryFile();
    const first = await openSqliteStore({ file });
    await first.pipelines.create({
      name: 'kept',
      description: '',
      runner: { type: 'echo', settings: { delay_ms: 0 } },
    });
    await first.close();

    const second = await openSqliteStore({ file });
    stores.push(second);
    expect((await second.pipelines.list()).map((pipeline) => pipeline.name)).toEqual(['kept']);

    const db = createSqliteDatabase({ file });
    databases.push(db);
    await migrateToLatest(db);
    expect(await tableNames(db)).toEqual([
      'api_keys',
      'conversations',
      'messages',
      'pipelines',
      'sessions',
      'users',
    ]);
    const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    expect(applied.rows.map((row) => row.name)).toEqual(['2026-11-24-001-initial']);
  });

  it('names the migration that failed', async () => {
    const db = createSqliteDatabase({ file: temporaryFile() });
    databases.push(db);
    // A stray table makes the initial migration's CREATE TABLE fail.
    await db.schema.createTable('pipelines').addColumn('x', 'text').execute();
    await expect(migrateToLatest(db)).rejects.toThrow(
      /Database migration 2026-11-24-001-initial failed: .*pipelines/,
    );
  });

  it('creates the parent directory and sets the pragmas', async () => {
    const file = temporaryFile(path.join('nested', 'deeper', 'botwire.db'));
    const db = createSqliteDatabase({ file });
    databases.push(db);
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
    const store = await openSqliteStore({ file: ':memory:' });
    stores.push(store);
    expect(await store.ping()).toBe(true);
    expect(await store.users.count()).toBe(0);
  });
});
