import { sql, type Kysely } from 'kysely';
import type { DatabaseSchema } from './database-schema.js';
import type { MessageUsageRepository } from './store.js';

/**
 * The bytes of a message row as quotas count them. `octet_length` counts UTF-8 bytes on both
 * SQLite (3.43 and later) and PostgreSQL, so this matches what the server adds per message. The
 * chain is cast to text because PostgreSQL keeps it as jsonb, whose text form has a space after
 * each colon and comma: there a stored chain counts a few bytes more than the server added.
 */
const MESSAGE_BYTES = sql<
  number | string | null
>`sum(octet_length(messages.content) + octet_length(cast(messages.message_chain as text)))`;

/** Sums of stored user-message bytes and uploaded image bytes, for storage quotas. */
export class KyselyMessageUsageRepository implements MessageUsageRepository {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  async userMessageBytesOfSender(senderId: string): Promise<number> {
    const row = await this.db
      .selectFrom('messages')
      .select(MESSAGE_BYTES.as('bytes'))
      .where('messages.role', '=', 'user')
      .where('messages.sender_id', '=', senderId)
      .executeTakeFirst();
    const images = await this.db
      .selectFrom('images')
      .select((expression) => expression.fn.sum<number | string | null>('byte_size').as('bytes'))
      .where('uploader_id', '=', senderId)
      .executeTakeFirst();
    return Number(row?.bytes ?? 0) + Number(images?.bytes ?? 0);
  }

  async userMessageBytesOfPipeline(pipelineUuid: string): Promise<number> {
    const row = await this.db
      .selectFrom('messages')
      .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
      .select(MESSAGE_BYTES.as('bytes'))
      .where('messages.role', '=', 'user')
      .where('conversations.pipeline_uuid', '=', pipelineUuid)
      .executeTakeFirst();
    const images = await this.db
      .selectFrom('images')
      .select((expression) => expression.fn.sum<number | string | null>('byte_size').as('bytes'))
      .where('pipeline_uuid', '=', pipelineUuid)
      .executeTakeFirst();
    return Number(row?.bytes ?? 0) + Number(images?.bytes ?? 0);
  }
}
