import {
  chatMessageSchema,
  messageStatusSchema,
  type ChatMessage,
  type MessageStatus,
  type ReplyFigures,
} from '@botwire/protocol';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { DatabaseSchema, MessagesTable } from './database-schema.js';
import type { GroupCommitter } from './group-committer.js';
import { readJsonColumn } from './json-column.js';
import type { MessageRow, NewMessageRow } from './write-batch.js';
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

/**
 * Appends each streaming row's saved progress pieces (in order) to its `content`, in place.
 * The pieces are read in one query; a reply's text is the concatenation of its pieces because each
 * save appends only what streamed since the previous one.
 */
async function foldSavedProgress(db: Kysely<DatabaseSchema>, rows: MessageRow[]): Promise<void> {
  if (rows.length === 0) return;
  const pieces = await db
    .selectFrom('reply_progress')
    .select(['message_id', 'start', 'text'])
    .where(
      'message_id',
      'in',
      rows.map((row) => row.id),
    )
    .orderBy('message_id')
    .orderBy('start')
    .execute();
  const byMessage = new Map<number, string[]>();
  for (const piece of pieces) {
    let texts = byMessage.get(piece.message_id);
    if (texts === undefined) {
      texts = [];
      byMessage.set(piece.message_id, texts);
    }
    texts.push(piece.text);
  }
  for (const row of rows) {
    const texts = byMessage.get(row.id);
    if (texts !== undefined) row.content += texts.join('');
  }
}

function userRow(message: NewUserMessage, now: string): NewMessageRow {
  return {
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
  };
}

/** Built from what was written rather than read back: the hot path parses no row. */
function userChatMessage(id: number, message: NewUserMessage, now: string): ChatMessage {
  return {
    id,
    role: 'user',
    content: message.content,
    message_chain: message.chain,
    timestamp: now,
    is_final: true,
    status: 'complete',
    reply_to: null,
    connection_id: message.connectionId,
    client_id: message.clientId,
    sender: { id: message.sender.id, name: message.sender.name },
  };
}

function replyRow(conversationId: number, replyTo: number | null, now: string): NewMessageRow {
  return {
    conversation_id: conversationId,
    role: 'assistant',
    content: '',
    message_chain: '[]',
    status: 'streaming',
    reply_to: replyTo,
    sender_id: null,
    sender_name: null,
    connection_id: null,
    client_id: null,
    created_at: now,
    updated_at: now,
  };
}

function replyChatMessage(id: number, replyTo: number, now: string): ChatMessage {
  return {
    id,
    role: 'assistant',
    content: '',
    message_chain: [],
    timestamp: now,
    is_final: false,
    status: 'streaming',
    reply_to: replyTo,
    connection_id: null,
    client_id: null,
    sender: null,
  };
}

/**
 * Thrown by {@link KyselyMessageRepository.insertUserMessage} when the conversation already holds
 * a message with the same client_id (nothing was stored).
 */
export class DuplicateClientIdError extends Error {
  constructor(readonly clientId: string) {
    super(
      `A message with client_id ${JSON.stringify(clientId)} is already stored in this conversation.`,
    );
    this.name = 'DuplicateClientIdError';
  }
}

/**
 * Chat messages in SQL: user messages and the replies streamed to them. The hot path's writes
 * (insert a message or a reply, save progress, finish a reply) go through the store's
 * {@link GroupCommitter}, so the writes of one event-loop turn share one transaction; reads and
 * the rare writes stay on Kysely.
 */
export class KyselyMessageRepository implements MessageRepository {
  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly writes: GroupCommitter,
  ) {}

  async insertUserMessage(message: NewUserMessage): Promise<ChatMessage> {
    const now = new Date().toISOString();
    // A repeated (conversation, client_id) hits the unique index and inserts nothing (without
    // failing the rest of its batch); the caller then looks the first one up with findByClientId.
    const id = await this.writes.write({ kind: 'insert-message', row: userRow(message, now) });
    if (id === undefined) throw new DuplicateClientIdError(message.clientId ?? '');
    return userChatMessage(id, message, now);
  }

  async insertUserMessageWithReply(
    message: NewUserMessage,
  ): Promise<{ message: ChatMessage; reply: ChatMessage | undefined }> {
    const now = new Date().toISOString();
    // Requested back to back, so both land in the same batch, the reply right after its message.
    const user = this.writes.write({ kind: 'insert-message', row: userRow(message, now) });
    const reply = this.writes
      .write({
        kind: 'insert-message',
        row: replyRow(message.conversationId, null, now),
        replyToPrevious: true,
      })
      .catch(() => undefined);
    const id = await user;
    if (id === undefined) throw new DuplicateClientIdError(message.clientId ?? '');
    const replyId = await reply;
    return {
      message: userChatMessage(id, message, now),
      reply: replyId === undefined ? undefined : replyChatMessage(replyId, id, now),
    };
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
    const id = await this.writes.write({
      kind: 'insert-message',
      row: replyRow(options.conversationId, options.replyTo, now),
    });
    if (id === undefined) throw new Error('The reply row was not inserted.');
    return replyChatMessage(id, options.replyTo, now);
  }

  async finishReply(reply: FinishedReply): Promise<void> {
    await this.writes.write({
      kind: 'finish-reply',
      messageId: reply.id,
      content: reply.content,
      messageChain: JSON.stringify(reply.chain),
      status: reply.status,
      updatedAt: new Date().toISOString(),
      hadProgress: reply.hadProgress ?? true,
      ...(reply.figures === undefined ? {} : { figures: reply.figures }),
    });
  }

  async appendReplyProgress(id: number, start: number, text: string): Promise<void> {
    if (text.length === 0) return;
    await this.writes.write({ kind: 'append-reply-progress', messageId: id, start, text });
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
        sql<number | string>`octet_length(content) + octet_length(cast(message_chain as text))`.as(
          'bytes',
        ),
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
    await this.withSavedProgress(rows);
    return { messages: rows.map(toChatMessage), hasMore };
  }

  async countInConversation(conversationId: number): Promise<number> {
    const row = await this.db
      .selectFrom('messages')
      .select((expression) => expression.fn.countAll<number | string | bigint>().as('count'))
      .where('conversation_id', '=', conversationId)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async deleteConversationMessages(conversationId: number): Promise<number> {
    const result = await this.db
      .deleteFrom('messages')
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async markStreamingAsInterrupted(): Promise<number> {
    return (await this.interruptStreaming(undefined)).length;
  }

  interruptStreamingReplies(conversationId: number): Promise<ChatMessage[]> {
    return this.interruptStreaming(conversationId);
  }

  /** Marks the streaming replies (of one conversation, or all) interrupted, with their saved text. */
  private async interruptStreaming(conversationId: number | undefined): Promise<ChatMessage[]> {
    await this.writes.drain();
    return this.db.transaction().execute(async (transaction) => {
      let query = transaction.selectFrom('messages').selectAll().where('status', '=', 'streaming');
      if (conversationId !== undefined) query = query.where('conversation_id', '=', conversationId);
      const rows = await query.orderBy('id').execute();
      await foldSavedProgress(transaction, rows);
      const now = new Date().toISOString();
      for (const row of rows) {
        await transaction
          .updateTable('messages')
          .set({ status: 'interrupted', content: row.content, updated_at: now })
          .where('id', '=', row.id)
          .execute();
        row.status = 'interrupted';
        row.updated_at = now;
      }
      if (rows.length > 0) {
        await transaction
          .deleteFrom('reply_progress')
          .where(
            'message_id',
            'in',
            rows.map((row) => row.id),
          )
          .execute();
      }
      return rows.map(toChatMessage);
    });
  }

  /** Streaming rows of a history page get the text saved so far, as they had before it was split. */
  private async withSavedProgress(rows: MessageRow[]): Promise<void> {
    await foldSavedProgress(
      this.db,
      rows.filter((row) => row.status === 'streaming'),
    );
  }
}
