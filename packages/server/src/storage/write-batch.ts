import type { ReplyFigures } from '@botwire/protocol';
import type { Selectable } from 'kysely';
import type { MessagesTable } from './database-schema.js';

/** A `messages` row as the database returns it. */
export type MessageRow = Selectable<MessagesTable>;

/** The reply-figure columns: written when a reply finishes, never on insert. */
type ReplyFigureColumn =
  | 'first_chunk_ms'
  | 'duration_ms'
  | 'chunk_count'
  | 'character_count'
  | 'input_tokens'
  | 'output_tokens'
  | 'finish_reason';

/** A `messages` row to insert (the database assigns the id; figures come when it finishes). */
export type NewMessageRow = Omit<MessageRow, 'id' | ReplyFigureColumn>;

/**
 * One write of the chat hot path. These are the only writes that go through the group commit;
 * everything else (pipelines, users, keys, resets) stays on Kysely.
 */
export type WriteOperation =
  /**
   * Inserts a message. A user message whose (conversation_id, client_id) is already stored is
   * not an error: nothing is inserted and the result has no id (`insert … on conflict do
   * nothing`), so one duplicate cannot fail the other writes of its batch. Only
   * the id comes back: the caller has every other column already.
   */
  | {
      kind: 'insert-message';
      row: NewMessageRow;
      /**
       * The row answers the message inserted by the operation just before it in the batch:
       * `reply_to` is that row's id (whatever `row.reply_to` says), and when that operation
       * inserted nothing (a duplicate), this one inserts nothing either. Lets a user message
       * and its reply row be stored in one batch although the reply needs the message's id.
       */
      replyToPrevious?: true;
    }
  /**
   * Appends `text` to a streaming reply's saved progress as a new `reply_progress` row starting
   * at character `start` of the reply. Never rewrites what was saved before.
   */
  | { kind: 'append-reply-progress'; messageId: number; start: number; text: string }
  /**
   * Stores a reply's final text, chain, status and figures in one update, and drops its progress
   * rows if it has any.
   */
  | {
      kind: 'finish-reply';
      messageId: number;
      content: string;
      messageChain: string;
      status: string;
      updatedAt: string;
      /** Whether progress was saved for this reply (else there are no rows to drop). */
      hadProgress: boolean;
      /** The reply's figures; without them the figure columns keep what they hold. */
      figures?: ReplyFigures;
    }
  /** Raises a conversation's `seq_reserved` to `seqReserved`; never lowers it. */
  | { kind: 'reserve-seq'; conversationId: number; seqReserved: number };

/**
 * What became of one operation of a batch: `id` is the new row's id of an `insert-message`
 * (undefined when a duplicate client_id skipped it, and for the other kinds).
 */
export type WriteResult = { ok: true; id: number | undefined } | { ok: false; error: unknown };

/**
 * Runs a batch of hot-path writes against one database dialect. This is the seam between the
 * dialect-neutral {@link GroupCommitter} and a database; an implementation must:
 *
 * 1. apply the operations **in order** and **atomically**: one transaction, committed before the
 *    returned promise resolves, so a caller that acknowledges a message after its result arrived
 *    never acknowledges something a crash could take back;
 * 2. return one {@link WriteResult} per operation, in the same order;
 * 3. keep one failing operation (a foreign key that vanished because a pipeline was deleted, say)
 *    from failing the others: report it as `{ ok: false }` and commit the rest. SQLite does this
 *    by catching per statement inside the transaction (a failed statement rolls back only
 *    itself); a dialect whose transaction aborts on the first error (PostgreSQL) retries the
 *    batch without the failed operation, or runs each in a savepoint;
 * 4. reject the promise (never resolve partially) when the commit itself fails: then nothing of
 *    the batch is stored and every caller learns so.
 *
 * Executors in this folder: `SqliteWriteExecutor` (one synchronous better-sqlite3 transaction
 * with statements prepared once), `PostgresWriteExecutor` (the whole batch as one statement of
 * data-modifying CTEs: one round trip) and `KyselyWriteExecutor` (one Kysely transaction; any
 * dialect, one round trip per operation); see ARCHITECTURE.md, "The write path".
 */
export interface WriteBatchExecutor {
  execute(operations: readonly WriteOperation[]): Promise<WriteResult[]>;
}
