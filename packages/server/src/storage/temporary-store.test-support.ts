import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterEach } from 'vitest';
import { createLogger } from '../logging/logger.js';
import type { DatabaseSchema } from './database-schema.js';
import { KyselyStore } from './kysely-store.js';
import { migrateToLatest } from './migrations.js';
import { createPostgresDatabase } from './postgres-database.js';
import { PostgresWriteExecutor } from './postgres-write-executor.js';
import { usePostgresTestDatabase } from './postgres-test-database.test-support.js';
import type { SqlDialectName } from './sql-dialect.js';
import { openSqliteDatabase } from './sqlite-database.js';
import { SqliteWriteExecutor } from './sqlite-write-executor.js';
import type { WriteBatchExecutor } from './write-batch.js';

/** Both dialects, for `describe.each(STORE_DIALECTS)`. */
export const STORE_DIALECTS: readonly SqlDialectName[] = ['sqlite', 'postgres'];

/** A store opened by {@link useTemporaryStores}, with the raw database for tests that poke at rows. */
export interface TemporaryStore {
  store: KyselyStore;
  db: Kysely<DatabaseSchema>;
  dialect: SqlDialectName;
  /**
   * Where the data is: the SQLite file (or `:memory:`), or the PostgreSQL schema. Open it again
   * to simulate a restart.
   */
  location: string;
}

/** Options for {@link TemporaryStores.open}. */
export interface TemporaryStoreOptions {
  /** An earlier store's `location`, to reopen it (a restart). */
  location?: string;
  migrate?: boolean;
  /** Wraps the dialect's write executor, e.g. to record the batches a test is about. */
  wrapWriteExecutor?: (executor: WriteBatchExecutor) => WriteBatchExecutor;
}

export interface TemporaryStores {
  /**
   * Opens a store at `location` (default: a fresh one: `botwire.db` in a new temporary
   * directory, or a new schema in the test file's PostgreSQL database) and migrates it, unless
   * `migrate` is false. Pass the `location` of an earlier store to reopen it.
   */
  open(options?: TemporaryStoreOptions): Promise<TemporaryStore>;
  /** Makes a fresh temporary directory, removed after the test. */
  directory(): string;
}

const silentLogger = createLogger({ level: 'silent' });

/**
 * Temporary stores of one dialect (SQLite unless told) for one test file. Call it once per
 * `describe` (or at the top level): it registers an `afterEach` that closes every store opened
 * during the test and removes every directory made; for PostgreSQL also the hooks that create
 * the file's database and drop it. Each fresh PostgreSQL store gets its own schema, so tests
 * never see each other's rows.
 */
export function useTemporaryStores(dialect: SqlDialectName = 'sqlite'): TemporaryStores {
  const directories: string[] = [];
  const stores: KyselyStore[] = [];
  const postgres = dialect === 'postgres' ? usePostgresTestDatabase() : undefined;
  let schemas = 0;

  afterEach(async () => {
    // KyselyStore.close is idempotent, so stores a test already closed are fine here.
    await Promise.all(stores.splice(0).map((store) => store.close()));
    for (const directory of directories.splice(0)) {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  function directory(): string {
    const made = fs.mkdtempSync(path.join(os.tmpdir(), 'botwire-store-'));
    directories.push(made);
    return made;
  }

  async function open(options: TemporaryStoreOptions = {}): Promise<TemporaryStore> {
    let location: string;
    let db: Kysely<DatabaseSchema>;
    let executor: WriteBatchExecutor;
    if (postgres === undefined) {
      location = options.location ?? path.join(directory(), 'botwire.db');
      const sqlite = openSqliteDatabase({ file: location });
      db = sqlite.db;
      executor = new SqliteWriteExecutor(sqlite.sqlite, db);
    } else {
      schemas += 1;
      location = options.location ?? `store_${schemas}`;
      db = createPostgresDatabase({
        url: postgres().url,
        poolSize: 2,
        logger: silentLogger,
        schema: location,
      });
      await sql`create schema if not exists ${sql.id(location)}`.execute(db);
      executor = new PostgresWriteExecutor(db);
    }
    const store = new KyselyStore(db, {
      writeExecutor: options.wrapWriteExecutor?.(executor) ?? executor,
    });
    stores.push(store);
    if (options.migrate !== false) await migrateToLatest(db);
    return { store, db, dialect, location };
  }

  return { open, directory };
}

/**
 * A damaged JSON column value for tests of how damage is read. SQLite stores `text` as it is;
 * PostgreSQL's `jsonb` accepts only valid JSON, so there the damage is `text` as a JSON string:
 * valid JSON of the wrong shape, the worst a jsonb column can hold.
 */
export function damagedJson(dialect: SqlDialectName, text: string): string {
  return dialect === 'sqlite' ? text : JSON.stringify(text);
}
