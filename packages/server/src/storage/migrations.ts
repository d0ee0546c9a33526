import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { DatabaseSchema } from './database-schema.js';
import { imageAttachmentMigration } from './image-attachment-migration.js';
import { imagesMigration } from './images-migration.js';
import { replyProgressMigration } from './reply-progress-migration.js';
import { addIdColumn, columnTypesOf, sqlDialectOf } from './sql-dialect.js';

const initial: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // The one place the dialects differ: see sql-dialect.ts.
    const types = columnTypesOf(db);
    await db.schema
      .createTable('pipelines')
      .addColumn('uuid', 'text', (column) => column.primaryKey())
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('description', 'text', (column) => column.notNull().defaultTo(''))
      .addColumn('runner', types.json, (column) => column.notNull())
      .addColumn('is_default', 'integer', (column) => column.notNull().defaultTo(0))
      .addColumn('created_at', types.timestamp, (column) => column.notNull())
      .addColumn('updated_at', types.timestamp, (column) => column.notNull())
      .execute();

    await addIdColumn(db, db.schema.createTable('conversations'))
      .addColumn('pipeline_uuid', 'text', (column) =>
        column.notNull().references('pipelines.uuid').onDelete('cascade'),
      )
      .addColumn('session_type', 'text', (column) => column.notNull())
      .addColumn('conversation_key', 'text', (column) => column.notNull())
      .addColumn('seq_reserved', types.bigInteger, (column) => column.notNull().defaultTo(0))
      .addColumn('created_at', types.timestamp, (column) => column.notNull())
      .addUniqueConstraint('conversations_identity_unique', [
        'pipeline_uuid',
        'session_type',
        'conversation_key',
      ])
      .execute();

    await addIdColumn(db, db.schema.createTable('messages'))
      .addColumn('conversation_id', types.bigInteger, (column) =>
        column.notNull().references('conversations.id').onDelete('cascade'),
      )
      .addColumn('role', 'text', (column) => column.notNull())
      .addColumn('content', 'text', (column) => column.notNull())
      .addColumn('message_chain', types.json, (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('reply_to', types.bigInteger)
      .addColumn('sender_id', 'text')
      .addColumn('sender_name', 'text')
      .addColumn('connection_id', 'text')
      .addColumn('client_id', 'text')
      .addColumn('created_at', types.timestamp, (column) => column.notNull())
      .addColumn('updated_at', types.timestamp, (column) => column.notNull())
      .execute();
    await db.schema
      .createIndex('messages_conversation_id_id_index')
      .on('messages')
      .columns(['conversation_id', 'id'])
      .execute();
    // NULL client_ids never collide: both SQLite and PostgreSQL treat NULLs as distinct here.
    await db.schema
      .createIndex('messages_conversation_id_client_id_unique')
      .on('messages')
      .columns(['conversation_id', 'client_id'])
      .unique()
      .execute();
    await db.schema.createIndex('messages_status_index').on('messages').column('status').execute();

    await addIdColumn(db, db.schema.createTable('users'))
      .addColumn('username', 'text', (column) => column.notNull().unique())
      .addColumn('password_hash', 'text', (column) => column.notNull())
      .addColumn('role', 'text', (column) => column.notNull())
      .addColumn('created_at', types.timestamp, (column) => column.notNull())
      .execute();

    await db.schema
      .createTable('sessions')
      .addColumn('token_hash', 'text', (column) => column.primaryKey())
      .addColumn('user_id', types.bigInteger, (column) =>
        column.notNull().references('users.id').onDelete('cascade'),
      )
      .addColumn('created_at', types.timestamp, (column) => column.notNull())
      .addColumn('expires_at', types.timestamp, (column) => column.notNull())
      .execute();
    await db.schema
      .createIndex('sessions_expires_at_index')
      .on('sessions')
      .column('expires_at')
      .execute();

    await addIdColumn(db, db.schema.createTable('api_keys'))
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('prefix', 'text', (column) => column.notNull())
      .addColumn('key_hash', 'text', (column) => column.notNull().unique())
      .addColumn('role', 'text', (column) => column.notNull())
      .addColumn('pipelines', types.json)
      .addColumn('created_by', 'text', (column) => column.notNull())
      .addColumn('created_at', types.timestamp, (column) => column.notNull())
      .addColumn('last_used_at', types.timestamp)
      .addColumn('revoked_at', types.timestamp)
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of [
      'api_keys',
      'sessions',
      'users',
      'messages',
      'conversations',
      'pipelines',
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
};

/**
 * Every migration, by name. Names sort by date so Kysely applies them in order; they live in
 * code (no file system reads) so a bundled or compiled server migrates the same way.
 */
/** Pipeline behaviour (prompt, parameters, memory, triggers, output) as one JSON column. */
const pipelineBehaviour: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('pipelines')
      .addColumn('behaviour', columnTypesOf(db).json, (column) => column.notNull().defaultTo('{}'))
      .execute();
  },
};

/**
 * Reply figures (timings, chunks, characters, provider tokens and finish reason), filled when a
 * reply finishes. Nullable: replies stored before this migration have none.
 */
const replyFigures: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const columns = [
      ['first_chunk_ms', 'integer'],
      ['duration_ms', 'integer'],
      ['chunk_count', 'integer'],
      ['character_count', 'integer'],
      ['input_tokens', 'integer'],
      ['output_tokens', 'integer'],
      ['finish_reason', 'text'],
    ] as const;
    // One statement per column: SQLite adds only one column per ALTER TABLE.
    for (const [name, type] of columns) {
      await db.schema.alterTable('messages').addColumn(name, type).execute();
    }
  },
};

/**
 * API key expiry: when a key stops authenticating, as a dialect timestamp. Nullable: keys made
 * before this migration, and keys made without an expiry, never expire.
 */
const apiKeyExpiry: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('api_keys')
      .addColumn('expires_at', columnTypesOf(db).timestamp)
      .execute();
  },
};

/**
 * The index on `messages.status` only ever served one query, the restart's search for replies
 * left `streaming`, yet every message insert and every finished reply paid for keeping it (an
 * entry per message, moved when a reply finishes). A partial index over the streaming rows alone
 * serves that query and stays as small as the replies in progress; a finished reply leaves it.
 */
const streamingIndex: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('messages_status_index').execute();
    await db.schema
      .createIndex('messages_streaming_index')
      .on('messages')
      .column('id')
      .where(sql.ref('status'), '=', 'streaming')
      .execute();
  },
};

/**
 * The unique index behind idempotency by `client_id` held an entry for every message, although
 * only user messages sent with a `client_id` can ever collide: replies never have one, and NULLs
 * never collide. Each entry was one more b-tree page written per message and per commit (about
 * 5 µs of the 20 µs a message costs SQLite in the bench's batches). The partial index holds the
 * messages with a `client_id` only and enforces the same uniqueness. The new index is built
 * before the old one goes, so uniqueness is enforced throughout; inserts name it by its columns
 * and predicate (`on conflict (conversation_id, client_id) where client_id is not null`), which
 * PostgreSQL matches to either index.
 */
const clientIdIndex: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createIndex('messages_client_id_unique')
      .on('messages')
      .columns(['conversation_id', 'client_id'])
      .unique()
      .where(sql.ref('client_id'), 'is not', null)
      .execute();
    await db.schema.dropIndex('messages_conversation_id_client_id_unique').execute();
  },
};

/**
 * The public widget: per-pipeline public settings (key, allowed origins, abuse limits) and the
 * server's own secrets (the HMAC key of visitor tokens), kept in the database so every instance
 * sharing it signs and verifies alike.
 */
const publicWidget: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const types = columnTypesOf(db);
    await db.schema
      .createTable('pipeline_widgets')
      .addColumn('pipeline_uuid', 'text', (column) =>
        column.primaryKey().references('pipelines.uuid').onDelete('cascade'),
      )
      .addColumn('public', 'integer', (column) => column.notNull().defaultTo(0))
      .addColumn('widget_key', 'text', (column) => column.notNull())
      .addColumn('allowed_origins', types.json, (column) => column.notNull())
      .addColumn('limits', types.json, (column) => column.notNull())
      .addColumn('updated_at', types.timestamp, (column) => column.notNull())
      .execute();
    await db.schema
      .createTable('server_secrets')
      .addColumn('name', 'text', (column) => column.primaryKey())
      .addColumn('value', 'text', (column) => column.notNull())
      .addColumn('created_at', types.timestamp, (column) => column.notNull())
      .execute();
  },
};

export const migrations: Readonly<Record<string, Migration>> = {
  '2026-11-24-001-initial': initial,
  '2026-11-24-002-pipeline-behaviour': pipelineBehaviour,
  '2026-12-05-003-reply-figures': replyFigures,
  '2026-12-05-010-reply-progress': replyProgressMigration,
  '2026-12-05-014-api-key-expiry': apiKeyExpiry,
  '2026-12-05-020-streaming-index': streamingIndex,
  '2026-12-05-150-images': imagesMigration,
  '2026-12-05-160-public-widget': publicWidget,
  '2026-12-06-170-image-attachment': imageAttachmentMigration,
  '2026-12-06-180-client-id-index': clientIdIndex,
};

const inCodeProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve({ ...migrations }),
};

/**
 * A Kysely migrator over the in-code migrations. `migrationTableSchema` names the schema of
 * Kysely's bookkeeping tables; give it on PostgreSQL (see {@link migrateToLatest}).
 */
export function createMigrator(
  db: Kysely<DatabaseSchema>,
  migrationTableSchema?: string,
): Migrator {
  return new Migrator({
    db,
    provider: inCodeProvider,
    ...(migrationTableSchema === undefined ? {} : { migrationTableSchema }),
  });
}

/**
 * The schema Botwire's tables go to on PostgreSQL: the first existing one on the connection's
 * `search_path`. Kysely's migrator must be told it, because without a schema it looks for its
 * bookkeeping tables in every schema of the database, and would take another application's
 * (or another Botwire's) for its own.
 */
async function postgresSchemaOf(db: Kysely<DatabaseSchema>): Promise<string> {
  const result = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(
    db,
  );
  const schema = result.rows[0]?.schema ?? null;
  if (schema === null) {
    throw new Error(
      'The PostgreSQL connection has no schema to create tables in: none of the schemas on its search_path exists. Create one (for example `create schema botwire`) and put it on the search_path, or use the default `public`.',
    );
  }
  return schema;
}

/**
 * Brings the schema up to date; safe to call on every start. Throws an Error naming the
 * migration that failed so a broken start says what to look at.
 */
export async function migrateToLatest(db: Kysely<DatabaseSchema>): Promise<void> {
  const schema = sqlDialectOf(db) === 'postgres' ? await postgresSchemaOf(db) : undefined;
  const { error, results } = await createMigrator(db, schema).migrateToLatest();
  if (error === undefined) return;
  const failed = results?.find((result) => result.status === 'Error')?.migrationName;
  const reason = error instanceof Error ? error.message : JSON.stringify(error);
  throw new Error(
    failed === undefined
      ? `Database migration failed: ${reason}`
      : `Database migration ${failed} failed: ${reason}`,
    { cause: error },
  );
}
