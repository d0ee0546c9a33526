import {
  chatMessageSchema,
  messageStatusSchema,
  type ChatMessage,
  type MessageStatus,
  type ReplyFigures,
} from '@botwire/protocol';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { DatabaseSchema, MessagesTable } from './database-schema.js';
import { readJsonColumn } from './json-column.js';
import type { FinishedReply, HistoryPage, MessageRepository, NewUserMessage } from './store.js';

/** What a stored chain may be: a valid chain, or empty (a reply that has not streamed yet). */
const storedChainSchema = chatMessageSchema.shape.message_chain;

function toStatus(value: string): MessageStatus {
  const parsed = messageStatusSchema.safeParse(value);
  // An unknown status can only come from a damaged row; `error` tells the reader it is not usable.
  return parsed.success ? parsed.data : 'error';
}

/** A stored row as the protocol's message object. */
export function toChatMessage(row: Selectable<MessagesTable>): ChatMessage {
  const status = toStatus(row.status);
  return {
    id: row.id,
    role: row.role === 'assistant' ? 'assistant' : 'user',
    content: row.content,
    message_chain: readJsonColumn(row.message_chain, storedChainSchema, []),
    timestamp: row.created_at,
    is_final: status !== 'streaming',
    status,
    reply_to: row.reply_to,
    connection_id: row.connection_id,
    client_id: row.client_id,
    sender: row.sender_id === null ? null : { id: row.sender_id, name: row.sender_name ?? '' },
    ...figuresOf(row),
  };
}

/** The reply figures of a row, as a `figures` field; nothing for rows without them. */
function figuresOf(row: Selectable<MessagesTable>): { figures?: ReplyFigures } {
  if (row.duration_ms === null || row.chunk_count === null || row.character_count === null) {
    return {};
  }
  return {
    figures: {
      first_chunk_ms: row.first_chunk_ms,
      duration_ms: row.duration_ms,
      chunks: row.chunk_count,
      characters: row.character_count,
      input_tokens: row.input_tokens,
      output_tokens: row.output_tokens,
      finish_reason: row.finish_reason,
    },
  };
}

/** Chat messages in SQL: user messages and the replies streamed to them. */
export class KyselyMessageRepository implements MessageRepository {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  async insertUserMessage(message: NewUserMessage): Promise<ChatMessage> {
    const now = new Date().toISOString();
    // A repeated (conversation, client_id) violates the unique index and rejects: the caller
    // looks the first one up with findByClientId instead of storing the message twice.
    const row = await this.db
      .insertInto('messages')
      .values({
        conversation_id: message.conversationId,
        role: 'user',
        content: message.content,
        message_chain: JSON.stringify(message.chain),
        status: 'complete',
        reply_to: null,
        sender_id: message.sender.id,
        sender_name: message.sender.name,
        connection_id: message.connectionId,
        client_id: message.clientId,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toChatMessage(row);
  }

  async findByClientId(conversationId: number, clientId: string): Promise<ChatMessage | undefined> {
    const row = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('client_id', '=', clientId)
      .where('role', '=', 'user')
      .executeTakeFirst();
    return row === undefined ? undefined : toChatMessage(row);
  }

  async insertReply(options: { conversationId: number; replyTo: number }): Promise<ChatMessage> {
    const now = new Date().toISOString();
    const row = await this.db
      .insertInto('messages')
      .values({
        conversation_id: options.conversationId,
        role: 'assistant',
        content: '',
        message_chain: '[]',
        status: 'streaming',
        reply_to: options.replyTo,
        sender_id: null,
        sender_name: null,
        connection_id: null,
        client_id: null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toChatMessage(row);
  }

  async finishReply(reply: FinishedReply): Promise<void> {
    await this.db
      .updateTable('messages')
      .set({
        content: reply.content,
        message_chain: JSON.stringify(reply.chain),
        status: reply.status,
        updated_at: new Date().toISOString(),
      })
      .where('id', '=', reply.id)
      .execute();
  }

  // Its own statement, apart from finishReply's: the reply's figures are an addition to it.
  async saveReplyFigures(id: number, figures: ReplyFigures): Promise<void> {
    await this.db
      .updateTable('messages')
      .set({
        first_chunk_ms: figures.first_chunk_ms,
        duration_ms: figures.duration_ms,
        chunk_count: figures.chunks,
        character_count: figures.characters,
        input_tokens: figures.input_tokens,
        output_tokens: figures.output_tokens,
        finish_reason: figures.finish_reason,
      })
      .where('id', '=', id)
      .execute();
  }

  async saveReplyProgress(id: number, content: string): Promise<void> {
    await this.db
      .updateTable('messages')
      .set({ content, updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .where('status', '=', 'streaming')
      .execute();
  }

  async listHistory(options: {
    conversationId: number;
    before?: number;
    limit: number;
    maxBytes?: number;
  }): Promise<HistoryPage> {
    const limit = Math.max(0, Math.floor(options.limit));
    const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    // Sizes first, measured by the database: the page is chosen before any text is read, so a
    // conversation of huge messages never loads more than one page of them.
    let sized = this.db
      .selectFrom('messages')
      .select([
        'id',
        sql<number | string>`octet_length(content) + octet_length(message_chain)`.as('bytes'),
      ])
      .where('conversation_id', '=', options.conversationId);
    if (options.before !== undefined) sized = sized.where('id', '<', options.before);
    // One row past the page tells whether older messages exist without a second count query.
    const sizes = await sized
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    let total = 0;
    let taken = 0;
    for (const row of sizes.slice(0, limit)) {
      const bytes = Number(row.bytes);
      if (total + bytes > maxBytes) {
        if (taken === 0) return { messages: [], hasMore: true, oversized: { id: row.id, bytes } };
        break;
      }
      total += bytes;
      taken += 1;
    }
    const hasMore = sizes.length > taken;
    const oldest = sizes[taken - 1];
    const newest = sizes[0];
    if (oldest === undefined || newest === undefined) return { messages: [], hasMore };
    const rows = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', options.conversationId)
      .where('id', '>=', oldest.id)
      .where('id', '<=', newest.id)
      .orderBy('id', 'asc')
      .execute();
    return { messages: rows.map(toChatMessage), hasMore };
  }

  async deleteConversationMessages(conversationId: number): Promise<number> {
    const result = await this.db
      .deleteFrom('messages')
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async markStreamingAsInterrupted(): Promise<number> {
    const result = await this.db
      .updateTable('messages')
      .set({ status: 'interrupted', updated_at: new Date().toISOString() })
      .where('status', '=', 'streaming')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
