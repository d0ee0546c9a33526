import { sql, type Kysely } from 'kysely';
import { KyselyApiKeyRepository } from './api-key-repository.js';
import { KyselyConversationRepository } from './conversation-repository.js';
import type { DatabaseSchema } from './database-schema.js';
import { KyselyImageRepository } from './image-repository.js';
import { KyselyMessageRepository } from './message-repository.js';
import { KyselyMessageUsageRepository } from './message-usage-repository.js';
import { migrateToLatest } from './migrations.js';
import { KyselyPipelineRepository } from './pipeline-repository.js';
import { KyselySessionRepository } from './session-repository.js';
import { GroupCommitter } from './group-committer.js';
import { KyselyWriteExecutor } from './kysely-write-executor.js';
import { openSqliteDatabase, type SqliteDatabaseOptions } from './sqlite-database.js';
import { SqliteWriteExecutor } from './sqlite-write-executor.js';
import type { Store } from './store.js';
import type { WriteBatchExecutor } from './write-batch.js';
import { KyselyUserRepository } from './user-repository.js';
import { KyselyServerSecretRepository, KyselyWidgetRepository } from './widget-repository.js';
import { sqlDialectOf } from './sql-dialect.js';

/** The PostgreSQL advisory lock nodes take around first-start set-up ("botw" in ASCII). */
const STARTUP_LOCK_KEY = 0x626f7477;

/**
 * The {@link Store} over any Kysely database; the dialect decides SQLite or PostgreSQL. It owns
 * the database: {@link KyselyStore.close} destroys it.
 */
export class KyselyStore implements Store {
  readonly pipelines: KyselyPipelineRepository;
  readonly conversations: KyselyConversationRepository;
  readonly messages: KyselyMessageRepository;
  readonly users: KyselyUserRepository;
  readonly sessions: KyselySessionRepository;
  readonly apiKeys: KyselyApiKeyRepository;
  readonly usage: KyselyMessageUsageRepository;
  readonly images: KyselyImageRepository;
  readonly widgets: KyselyWidgetRepository;
  readonly secrets: KyselyServerSecretRepository;
  private closing: Promise<void> | undefined;

  /** The hot path's writes (messages, replies, progress, seq reservations), committed in groups. */
  private readonly writes: GroupCommitter;

  /**
   * @param options.writeExecutor runs the hot path's write batches; the dialect's own executor
   *   when it has one (`SqliteWriteExecutor`), else one Kysely transaction per batch
   */
  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    options: { writeExecutor?: WriteBatchExecutor } = {},
  ) {
    this.writes = new GroupCommitter({
      executor: options.writeExecutor ?? new KyselyWriteExecutor(db),
    });
    this.pipelines = new KyselyPipelineRepository(db);
    this.conversations = new KyselyConversationRepository(db, this.writes);
    this.messages = new KyselyMessageRepository(db, this.writes);
    this.users = new KyselyUserRepository(db);
    this.sessions = new KyselySessionRepository(db);
    this.apiKeys = new KyselyApiKeyRepository(db);
    this.usage = new KyselyMessageUsageRepository(db);
    this.images = new KyselyImageRepository(db);
    this.widgets = new KyselyWidgetRepository(db);
    this.secrets = new KyselyServerSecretRepository(db);
  }

  /**
   * The database itself, for data kept beside the store's tables that the composition root
   * wires separately (image bytes on PostgreSQL, `PostgresImageStore`).
   */
  get database(): Kysely<DatabaseSchema> {
    return this.db;
  }

  /** Never rejects: a readiness probe wants a yes or no, not an exception. */
  async ping(): Promise<boolean> {
    try {
      await sql`select 1`.execute(this.db);
      return true;
    } catch {
      return false;
    }
  }

  async withStartupLock<TResult>(work: () => Promise<TResult>): Promise<TResult> {
    // A file of one process needs no lock; SQLite serialises writers anyway.
    if (sqlDialectOf(this.db) !== 'postgres') return work();
    return this.db.connection().execute(async (connection) => {
      // A session lock, held by this one connection while `work` uses the others of the pool.
      await sql`select pg_advisory_lock(${STARTUP_LOCK_KEY})`.execute(connection);
      try {
        return await work();
      } finally {
        await sql`select pg_advisory_unlock(${STARTUP_LOCK_KEY})`.execute(connection);
      }
    });
  }

  /** Idempotent, so shutdown paths that overlap do not fail on a second close. */
  close(): Promise<void> {
    // Writes already requested (a reply's final state, say) are committed before the database goes.
    this.closing ??= this.writes
      .drain()
      .catch(() => undefined)
      .then(() => this.db.destroy());
    return this.closing;
  }
}

/** Opens (creating if needed) a SQLite store at `options.file` and migrates it to the latest schema. */
export async function openSqliteStore(options: SqliteDatabaseOptions): Promise<KyselyStore> {
  const { db, sqlite } = openSqliteDatabase(options);
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return new KyselyStore(db, { writeExecutor: new SqliteWriteExecutor(sqlite, db) });
}
