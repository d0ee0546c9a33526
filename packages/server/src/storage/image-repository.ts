import type { Kysely, Selectable } from 'kysely';
import type { DatabaseSchema, ImagesTable } from './database-schema.js';
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
    return row === undefined ? undefined : recordOf(row);
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('images').where('id', '=', id).execute();
  }

  async markAttached(id: string, at: string): Promise<void> {
    await this.db
      .updateTable('images')
      .set({ attached_at: at })
      .where('id', '=', id)
      .where('attached_at', 'is', null)
      .execute();
  }

  async listUnattached(options: { before: string; limit: number }): Promise<ImageRecord[]> {
    const rows = await this.db
      .selectFrom('images')
      .selectAll()
      .where('attached_at', 'is', null)
      .where('created_at', '<', options.before)
      .orderBy('created_at')
      .limit(options.limit)
      .execute();
    return rows.map(recordOf);
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

function recordOf(row: Selectable<ImagesTable>): ImageRecord {
  return {
    id: row.id,
    conversationId: Number(row.conversation_id),
    pipelineUuid: row.pipeline_uuid,
    uploaderId: row.uploader_id,
    mediaType: row.media_type,
    bytes: Number(row.byte_size),
    createdAt: row.created_at,
    ...(row.attached_at === null ? {} : { attachedAt: row.attached_at }),
  };
}
