import type { ChatMessage } from '@botwire/protocol';
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from './database-schema.js';
import { toChatMessage } from './message-repository.js';
import type { ConversationSummaryRecord, StoredConversation } from './store.js';

/**
 * Read-only queries for the console's conversation list: every conversation of a pipeline with
 * its message count and newest message. Two queries whatever the number of conversations (the
 * aggregate, then the newest messages by id), in plain Kysely so SQLite and PostgreSQL agree.
 */
export async function listConversationSummaries(
  db: Kysely<DatabaseSchema>,
  pipelineUuid: string,
  /** Only this conversation (for the messages endpoint's header). */
  conversationId?: number,
): Promise<ConversationSummaryRecord[]> {
  let query = db
    .selectFrom('conversations')
    .leftJoin('messages', 'messages.conversation_id', 'conversations.id')
    .select((expression) => [
      'conversations.id as id',
      'conversations.pipeline_uuid as pipeline_uuid',
      'conversations.session_type as session_type',
      'conversations.conversation_key as conversation_key',
      'conversations.seq_reserved as seq_reserved',
      'conversations.created_at as created_at',
      expression.fn.count<number | string | bigint>('messages.id').as('message_count'),
      expression.fn.max<number | null>('messages.id').as('last_message_id'),
    ])
    .where('conversations.pipeline_uuid', '=', pipelineUuid);
  if (conversationId !== undefined) query = query.where('conversations.id', '=', conversationId);
  const rows = await query
    .groupBy([
      'conversations.id',
      'conversations.pipeline_uuid',
      'conversations.session_type',
      'conversations.conversation_key',
      'conversations.seq_reserved',
      'conversations.created_at',
    ])
    .execute();
  const lastIds = rows
    .map((row) => (row.last_message_id === null ? undefined : Number(row.last_message_id)))
    .filter((id): id is number => id !== undefined);
  const lastMessages = new Map<number, ChatMessage>();
  if (lastIds.length > 0) {
    const messages = await db
      .selectFrom('messages')
      .selectAll()
      .where('id', 'in', lastIds)
      .execute();
    for (const message of messages) lastMessages.set(message.id, toChatMessage(message));
  }
  return rows
    .map((row) => ({
      conversation: {
        id: row.id,
        pipelineUuid: row.pipeline_uuid,
        sessionType: row.session_type === 'group' ? ('group' as const) : ('person' as const),
        key: row.conversation_key,
        seqReserved: row.seq_reserved,
      },
      createdAt: row.created_at,
      messageCount: Number(row.message_count),
      lastMessage:
        row.last_message_id === null ? undefined : lastMessages.get(Number(row.last_message_id)),
    }))
    .sort(
      (a, b) =>
        (b.lastMessage?.id ?? 0) - (a.lastMessage?.id ?? 0) ||
        b.conversation.id - a.conversation.id,
    );
}

/** One conversation by its id, with its creation time. */
export async function findConversationById(
  db: Kysely<DatabaseSchema>,
  id: number,
): Promise<{ conversation: StoredConversation; createdAt: string } | undefined> {
  const row = await db
    .selectFrom('conversations')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    conversation: {
      id: row.id,
      pipelineUuid: row.pipeline_uuid,
      sessionType: row.session_type === 'group' ? 'group' : 'person',
      key: row.conversation_key,
      seqReserved: row.seq_reserved,
    },
    createdAt: row.created_at,
  };
}
