import type { Kysely } from 'kysely';
import type { DatabaseSchema } from './database-schema.js';
import type { ImageRecord, ImageRepository } from './store.js';

/** Image metadata rows in SQL; the bytes live behind an `ImageStore`. */
export class KyselyImageRepository implements ImageRepository {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  async insert(image: ImageRecord): Promise<void> {
    await this.db
      .insertInto('images')
      .values({
        id: image.id,
        conversation_id: image.conversationId,
        pipeline_uuid: image.pipelineUuid,
        uploader_id: image.uploaderId,
        media_type: image.mediaType,
        byte_size: image.bytes,
        created_at: image.createdAt,
      })
      .execute();
  }

  async find(id: string): Promise<ImageRecord | undefined> {
    const row = await this.db
      .selectFrom('images')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      id: row.id,
      conversationId: Number(row.conversation_id),
      pipelineUuid: row.pipeline_uuid,
      uploaderId: row.uploader_id,
      mediaType: row.media_type,
      bytes: Number(row.byte_size),
      createdAt: row.created_at,
    };
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('images').where('id', '=', id).execute();
  }

  async listIdsOfConversation(conversationId: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('images')
      .select('id')
      .where('conversation_id', '=', conversationId)
      .execute();
    return rows.map((row) => row.id);
  }
}
