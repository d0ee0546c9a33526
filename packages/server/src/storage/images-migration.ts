import type { Kysely, Migration } from 'kysely';
import { columnTypesOf, sqlDialectOf } from './sql-dialect.js';

/**
 * Uploaded images (issue 15): `images` holds one metadata row per image, bound to the
 * conversation it was uploaded to (deleted with it); on PostgreSQL `image_data` holds the bytes
 * (`bytea`), while a SQLite store keeps them as files under the data directory
 * (`FileImageStore`), so the database file does not grow by every picture.
 */
export const imagesMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const types = columnTypesOf(db);
    await db.schema
      .createTable('images')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('conversation_id', types.bigInteger, (column) =>
        column.notNull().references('conversations.id').onDelete('cascade'),
      )
      .addColumn('pipeline_uuid', 'text', (column) => column.notNull())
      .addColumn('uploader_id', 'text', (column) => column.notNull())
      .addColumn('media_type', 'text', (column) => column.notNull())
      .addColumn('byte_size', 'integer', (column) => column.notNull())
      .addColumn('created_at', types.timestamp, (column) => column.notNull())
      .execute();
    await db.schema
      .createIndex('images_conversation_id_index')
      .on('images')
      .column('conversation_id')
      .execute();
    await db.schema
      .createIndex('images_uploader_id_index')
      .on('images')
      .column('uploader_id')
      .execute();
    await db.schema
      .createIndex('images_pipeline_uuid_index')
      .on('images')
      .column('pipeline_uuid')
      .execute();
    if (sqlDialectOf(db) === 'postgres') {
      await db.schema
        .createTable('image_data')
        .addColumn('image_id', 'text', (column) =>
          column.primaryKey().references('images.id').onDelete('cascade'),
        )
        .addColumn('data', 'bytea', (column) => column.notNull())
        .execute();
    }
  },

  async down(db: Kysely<unknown>): Promise<void> {
    if (sqlDialectOf(db) === 'postgres') await db.schema.dropTable('image_data').execute();
    await db.schema.dropTable('images').execute();
  },
};
