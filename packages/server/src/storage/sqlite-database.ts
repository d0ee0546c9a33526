import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { DatabaseSchema } from './database-schema.js';
import { withStatementCache } from './statement-cache.js';

/** Where the SQLite database lives: a file path, or `:memory:` for a throwaway database. */
export interface SqliteDatabaseOptions {
  file: string;
}

const IN_MEMORY = ':memory:';

/**
 * Opens a SQLite database for Kysely. better-sqlite3 gives Kysely a single connection, so the
 * pragmas set here hold for every query: without `foreign_keys` the cascades the schema relies
 * on (deleting a pipeline deletes its conversations and messages) would silently do nothing.
 */
export function createSqliteDatabase(options: SqliteDatabaseOptions): Kysely<DatabaseSchema> {
  return openSqliteDatabase(options).db;
}

/** A SQLite database: Kysely over it, and the raw connection for the write path's batches. */
export interface SqliteDatabase {
  db: Kysely<DatabaseSchema>;
  /** The same single connection Kysely uses; see `SqliteWriteExecutor` for how they share it. */
  sqlite: Database.Database;
}

/** {@link createSqliteDatabase}, also handing out the raw better-sqlite3 connection. */
export function openSqliteDatabase(options: SqliteDatabaseOptions): SqliteDatabase {
  const inMemory = options.file === IN_MEMORY;
  if (!inMemory) {
    fs.mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true });
  }
  const sqlite = new Database(options.file);
  try {
    // WAL lets readers proceed while a reply is being written; it has no meaning in memory.
    if (!inMemory) sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // Safe under WAL (a power cut may lose the last commits, never corrupt the file) and much faster.
    sqlite.pragma('synchronous = NORMAL');
  } catch (error) {
    sqlite.close();
    throw error;
  }
  const db = new Kysely<DatabaseSchema>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
  });
  return { db, sqlite };
}
