import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../storage/database-schema.js';
import type { ImageStore } from './image-store.js';

/**
 * Image bytes in PostgreSQL's `image_data` table (`bytea`), beside the store's tables, so every
 * server process on the database serves every image. A row needs its `images` metadata row
 * first (a foreign key), and goes with it.
 */
export class PostgresImageStore implements ImageStore {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  async write(id: string, bytes: Uint8Array): Promise<void> {
    await this.db
      .insertInto('image_data')
      .values({ image_id: id, data: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) })
      .execute();
  }

  async read(id: string): Promise<Uint8Array | undefined> {
    const row = await this.db
      .selectFrom('image_data')
      .select('data')
      .where('image_id', '=', id)
      .executeTakeFirst();
    return row?.data;
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('image_data').where('image_id', '=', id).execute();
  }
}
