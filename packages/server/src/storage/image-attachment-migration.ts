import { sql, type Kysely, type Migration } from 'kysely';
import { columnTypesOf } from './sql-dialect.js';

/**
 * `images.attached_at`: when a stored message first carried the image. An upload no message ever
 * carried is swept after `limits.unattachedImageTtlMs` (`ImageSweeper`), so uploads that were
 * never sent do not hold disk space and quota for ever. Images uploaded before this migration
 * count as attached: nothing that existed is swept.
 */
export const imageAttachmentMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const types = columnTypesOf(db);
    await db.schema.alterTable('images').addColumn('attached_at', types.timestamp).execute();
    await sql`update images set attached_at = created_at`.execute(db);
    await db.schema
      .createIndex('images_attached_at_created_at_index')
      .on('images')
      .columns(['attached_at', 'created_at'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('images_attached_at_created_at_index').execute();
    await db.schema.alterTable('images').dropColumn('attached_at').execute();
  },
};
