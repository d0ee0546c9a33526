import path from 'node:path';
import { sql } from 'kysely';
import { BotwireError } from '../errors/botwire-error.js';
import type { Logger } from '../logging/logger.js';
import { KyselyStore, openSqliteStore } from './kysely-store.js';
import { migrateToLatest } from './migrations.js';
import {
  createPostgresDatabase,
  describePostgresUrl,
  type PostgresDatabaseOptions,
} from './postgres-database.js';
import { unavailableReason } from './postgres-errors.js';
import { PostgresWriteExecutor } from './postgres-write-executor.js';
import type { SqlDialectName } from './sql-dialect.js';

/** Opens PostgreSQL, checks that it answers, and migrates it to the latest schema. */
export async function openPostgresStore(options: PostgresDatabaseOptions): Promise<KyselyStore> {
  const db = createPostgresDatabase(options);
  try {
    // A query first, so an unreachable database says so rather than "migration failed".
    await sql`select 1`.execute(db);
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    if (error instanceof BotwireError && error.code === 'DATABASE_UNAVAILABLE') {
      // Said to the operator starting the server, not to a client: name the database.
      throw new BotwireError(
        'DATABASE_UNAVAILABLE',
        `The database (${describePostgresUrl(options.url)}) cannot be reached: ${unavailableReason(error)}.`,
        { cause: error.cause },
      );
    }
    throw error;
  }
  return new KyselyStore(db, { writeExecutor: new PostgresWriteExecutor(db) });
}

/** The settings {@link openStore} reads (a subset of the server's `Config`). */
export interface StoreSettings {
  dataDir: string;
  databaseFile: string;
  databaseUrl?: string | undefined;
  databasePoolSize: number;
}

/** An open store and where it is, for the start-up log line. */
export interface OpenedStore {
  store: KyselyStore;
  dialect: SqlDialectName;
  /** The SQLite file, or the PostgreSQL URL without its password. */
  location: string;
}

/**
 * The store the settings ask for: PostgreSQL when `databaseUrl` is set, otherwise the SQLite
 * file `databaseFile` under `dataDir` (or in memory for `:memory:`). Either is migrated to the
 * latest schema before it is returned.
 */
export async function openStore(settings: StoreSettings, logger: Logger): Promise<OpenedStore> {
  if (settings.databaseUrl !== undefined) {
    const store = await openPostgresStore({
      url: settings.databaseUrl,
      poolSize: settings.databasePoolSize,
      logger: logger.child({ module: 'storage' }),
    });
    return { store, dialect: 'postgres', location: describePostgresUrl(settings.databaseUrl) };
  }
  const file =
    settings.databaseFile === ':memory:'
      ? ':memory:'
      : path.resolve(settings.dataDir, settings.databaseFile);
  return { store: await openSqliteStore({ file }), dialect: 'sqlite', location: file };
}
