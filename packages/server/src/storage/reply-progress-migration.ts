import type { Kysely, Migration } from 'kysely';
import { columnTypesOf } from './sql-dialect.js';

/**
 * The `reply_progress` table: a streaming reply's saved text as pieces, one row per save, keyed
 * by where the piece starts. Rewriting the whole text on every save made saving a long reply
 * quadratic in its length (issue 12, item 4). One migration for both dialects: the reference to
 * `messages.id` takes the dialect's id type from `sql-dialect.ts` (`bigint` on PostgreSQL).
 */
export const replyProgressMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const types = columnTypesOf(db);
    await db.schema
      .createTable('reply_progress')
      .addColumn('message_id', types.bigInteger, (column) =>
        column.notNull().references('messages.id').onDelete('cascade'),
      )
      .addColumn('start', 'integer', (column) => column.notNull())
      .addColumn('text', 'text', (column) => column.notNull())
      .addPrimaryKeyConstraint('reply_progress_primary_key', ['message_id', 'start'])
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('reply_progress').execute();
  },
};
