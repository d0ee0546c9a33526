import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach } from 'vitest';
import type { DatabaseSchema } from './database-schema.js';
import { KyselyStore } from './kysely-store.js';
import { migrateToLatest } from './migrations.js';
import { openSqliteDatabase } from './sqlite-database.js';
import { SqliteWriteExecutor } from './sqlite-write-executor.js';
import type { WriteBatchExecutor } from './write-batch.js';

/** A store opened by {@link useTemporaryStores}, with the raw database for tests that poke at rows. */
export interface TemporaryStore {
  store: KyselyStore;
  db: Kysely<DatabaseSchema>;
  /** The SQLite file (or `:memory:`); open it again to simulate a restart. */
  file: string;
}

/** Options for {@link TemporaryStores.open}. */
export interface TemporaryStoreOptions {
  file?: string;
  migrate?: boolean;
  /** Wraps the SQLite write executor, e.g. to record the batches a test is about. */
  wrapWriteExecutor?: (executor: WriteBatchExecutor) => WriteBatchExecutor;
}

export interface TemporaryStores {
  /**
   * Opens a SQLite store at `file` (default: `botwire.db` in a fresh temporary directory) and
   * migrates it, unless `migrate` is false. Pass the `file` of an earlier store to reopen it.
   */
  open(options?: TemporaryStoreOptions): Promise<TemporaryStore>;
  /** Makes a fresh temporary directory, removed after the test. */
  directory(): string;
}

/**
 * Temporary SQLite stores for one test file. Call it once at the top level: it registers an
 * `afterEach` that closes every store opened during the test and removes every directory made.
 */
export function useTemporaryStores(): TemporaryStores {
  const directories: string[] = [];
  const stores: KyselyStore[] = [];

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
    const file = options.file ?? path.join(directory(), 'botwire.db');
    const { db, sqlite } = openSqliteDatabase({ file });
    const executor = new SqliteWriteExecutor(sqlite, db);
    const store = new KyselyStore(db, {
      writeExecutor: options.wrapWriteExecutor?.(executor) ?? executor,
    });
    stores.push(store);
    if (options.migrate !== false) await migrateToLatest(db);
    return { store, db, file };
  }

  return { open, directory };
}
