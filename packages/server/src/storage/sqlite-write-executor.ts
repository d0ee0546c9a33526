import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from './database-schema.js';
import type { WriteBatchExecutor, WriteOperation, WriteResult } from './write-batch.js';

/** The result of every write that returns no row; shared, as it never changes. */
const DONE: WriteResult = { ok: true, id: undefined };

/** The hot-path statements, prepared once per database. */
interface Statements {
  insertMessage: BetterSqlite3.Statement;
  appendProgress: BetterSqlite3.Statement;
  finishReply: BetterSqlite3.Statement;
  finishReplyWithFigures: BetterSqlite3.Statement;
  dropProgress: BetterSqlite3.Statement;
  reserveSeq: BetterSqlite3.Statement;
}

function prepareStatements(sqlite: BetterSqlite3.Database): Statements {
  return {
    insertMessage: sqlite.prepare(
      'insert into messages (conversation_id, role, content, message_chain, status, reply_to, ' +
        'sender_id, sender_name, connection_id, client_id, created_at, updated_at) ' +
        'values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing',
    ),
    // Only while the reply streams: a late save never lands beside a finished reply's text.
    appendProgress: sqlite.prepare(
      'insert into reply_progress (message_id, start, text) select ?, ?, ? ' +
        "where exists (select 1 from messages where id = ? and status = 'streaming') " +
        'on conflict do nothing',
    ),
    finishReply: sqlite.prepare(
      'update messages set content = ?, message_chain = ?, status = ?, updated_at = ? where id = ?',
    ),
    finishReplyWithFigures: sqlite.prepare(
      'update messages set content = ?, message_chain = ?, status = ?, updated_at = ?, ' +
        'first_chunk_ms = ?, duration_ms = ?, chunk_count = ?, character_count = ?, ' +
        'input_tokens = ?, output_tokens = ?, finish_reason = ? where id = ?',
    ),
    dropProgress: sqlite.prepare('delete from reply_progress where message_id = ?'),
    reserveSeq: sqlite.prepare(
      'update conversations set seq_reserved = ? where id = ? and seq_reserved < ?',
    ),
  };
}

/**
 * The SQLite {@link WriteBatchExecutor}: a batch is one synchronous better-sqlite3 transaction of
 * statements prepared once, so a turn's writes cost one commit (about 30 µs of CPU for an
 * autocommitted insert on this project's disk against about 4 µs inside a larger transaction)
 * and no query building. It shares the one SQLite connection with Kysely: the batch runs while
 * holding Kysely's connection lock, so it never lands inside a Kysely transaction (such as a
 * pipeline create) that could still roll back.
 */
export class SqliteWriteExecutor implements WriteBatchExecutor {
  private statements: Statements | undefined;
  private readonly transaction: (
    operations: readonly WriteOperation[],
    results: WriteResult[],
  ) => void;

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly db: Kysely<DatabaseSchema>,
  ) {
    this.transaction = sqlite.transaction(
      (operations: readonly WriteOperation[], results: WriteResult[]) => {
        const statements = (this.statements ??= prepareStatements(sqlite));
        for (const operation of operations) {
          try {
            results.push(this.apply(statements, operation, results.at(-1)));
          } catch (error) {
            // A failed statement rolls back only itself, unless SQLite gave up the whole
            // transaction (disk full, I/O error): then nothing of the batch may be reported stored.
            if (!sqlite.inTransaction) throw error;
            results.push({ ok: false, error });
          }
        }
      },
    );
  }

  async execute(operations: readonly WriteOperation[]): Promise<WriteResult[]> {
    return this.db.connection().execute(() => {
      const results: WriteResult[] = [];
      this.transaction(operations, results);
      return Promise.resolve(results);
    });
  }

  private apply(
    statements: Statements,
    operation: WriteOperation,
    previous: WriteResult | undefined,
  ): WriteResult {
    switch (operation.kind) {
      case 'insert-message': {
        const { row } = operation;
        let replyTo = row.reply_to;
        if (operation.replyToPrevious === true) {
          if (previous?.ok !== true || previous.id === undefined) return DONE;
          replyTo = previous.id;
        }
        // `changes` and the rowid rather than `returning id`: SQLite collects RETURNING rows in
        // a temporary table first, and better-sqlite3 builds an object per row, on every insert.
        const inserted = statements.insertMessage.run(
          row.conversation_id,
          row.role,
          row.content,
          row.message_chain,
          row.status,
          replyTo,
          row.sender_id,
          row.sender_name,
          row.connection_id,
          row.client_id,
          row.created_at,
          row.updated_at,
        );
        // A duplicate (conversation_id, client_id) changed nothing: no id.
        return inserted.changes === 0 ? DONE : { ok: true, id: Number(inserted.lastInsertRowid) };
      }
      case 'append-reply-progress':
        statements.appendProgress.run(
          operation.messageId,
          operation.start,
          operation.text,
          operation.messageId,
        );
        return DONE;
      case 'finish-reply': {
        const { figures } = operation;
        if (figures === undefined) {
          statements.finishReply.run(
            operation.content,
            operation.messageChain,
            operation.status,
            operation.updatedAt,
            operation.messageId,
          );
        } else {
          statements.finishReplyWithFigures.run(
            operation.content,
            operation.messageChain,
            operation.status,
            operation.updatedAt,
            figures.first_chunk_ms,
            figures.duration_ms,
            figures.chunks,
            figures.characters,
            figures.input_tokens,
            figures.output_tokens,
            figures.finish_reason,
            operation.messageId,
          );
        }
        if (operation.hadProgress) statements.dropProgress.run(operation.messageId);
        return DONE;
      }
      case 'reserve-seq':
        statements.reserveSeq.run(
          operation.seqReserved,
          operation.conversationId,
          operation.seqReserved,
        );
        return DONE;
    }
  }
}
