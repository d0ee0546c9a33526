import type { ReplyFigures } from '@botwire/protocol';
import type { Kysely, Transaction } from 'kysely';
import type { DatabaseSchema } from './database-schema.js';
import type { WriteBatchExecutor, WriteOperation, WriteResult } from './write-batch.js';

/** The `messages` columns a reply's figures are stored in. */
export function figureColumns(figures: ReplyFigures): {
  first_chunk_ms: number | null;
  duration_ms: number;
  chunk_count: number;
  character_count: number;
  input_tokens: number | null;
  output_tokens: number | null;
  finish_reason: string | null;
} {
  return {
    first_chunk_ms: figures.first_chunk_ms,
    duration_ms: figures.duration_ms,
    chunk_count: figures.chunks,
    character_count: figures.characters,
    input_tokens: figures.input_tokens,
    output_tokens: figures.output_tokens,
    finish_reason: figures.finish_reason,
  };
}

async function apply(
  transaction: Transaction<DatabaseSchema>,
  operation: WriteOperation,
  previous: WriteResult | undefined,
): Promise<WriteResult> {
  switch (operation.kind) {
    case 'insert-message': {
      let values = operation.row;
      if (operation.replyToPrevious === true) {
        if (previous?.ok !== true || previous.id === undefined) return { ok: true, id: undefined };
        values = { ...values, reply_to: previous.id };
      }
      const row = await transaction
        .insertInto('messages')
        .values(values)
        .onConflict((conflict) => conflict.doNothing())
        .returning('id')
        .executeTakeFirst();
      return { ok: true, id: row?.id };
    }
    case 'append-reply-progress': {
      // Only while the reply streams: a late save never lands beside a finished reply's text.
      const streaming = await transaction
        .selectFrom('messages')
        .select('id')
        .where('id', '=', operation.messageId)
        .where('status', '=', 'streaming')
        .executeTakeFirst();
      if (streaming === undefined) return { ok: true, id: undefined };
      await transaction
        .insertInto('reply_progress')
        .values({ message_id: operation.messageId, start: operation.start, text: operation.text })
        .onConflict((conflict) => conflict.doNothing())
        .execute();
      return { ok: true, id: undefined };
    }
    case 'finish-reply':
      await transaction
        .updateTable('messages')
        .set({
          content: operation.content,
          message_chain: operation.messageChain,
          status: operation.status,
          updated_at: operation.updatedAt,
          ...(operation.figures === undefined ? {} : figureColumns(operation.figures)),
        })
        .where('id', '=', operation.messageId)
        .execute();
      if (operation.hadProgress) {
        await transaction
          .deleteFrom('reply_progress')
          .where('message_id', '=', operation.messageId)
          .execute();
      }
      return { ok: true, id: undefined };
    case 'reserve-seq':
      // The guard in WHERE (not max()/greatest(), which differ by dialect) keeps it raise-only.
      await transaction
        .updateTable('conversations')
        .set({ seq_reserved: operation.seqReserved })
        .where('id', '=', operation.conversationId)
        .where('seq_reserved', '<', operation.seqReserved)
        .execute();
      return { ok: true, id: undefined };
  }
}

/**
 * A {@link WriteBatchExecutor} for any Kysely dialect: the batch in one Kysely transaction, one
 * statement (and round trip) per operation. Correct everywhere and what a new dialect starts
 * with; the dialect's own executor (one round trip per batch) replaces it where speed matters.
 * Each operation runs in a savepoint, so one failing operation fails alone even on PostgreSQL,
 * whose transactions refuse every statement after an error.
 */
export class KyselyWriteExecutor implements WriteBatchExecutor {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  async execute(operations: readonly WriteOperation[]): Promise<WriteResult[]> {
    const transaction = await this.db.startTransaction().execute();
    try {
      const results: WriteResult[] = [];
      for (const operation of operations) {
        const savepoint = await transaction.savepoint('write').execute();
        try {
          results.push(await apply(savepoint, operation, results.at(-1)));
          await savepoint.releaseSavepoint('write').execute();
        } catch (error) {
          await savepoint.rollbackToSavepoint('write').execute();
          results.push({ ok: false, error });
        }
      }
      await transaction.commit().execute();
      return results;
    } catch (error) {
      await transaction
        .rollback()
        .execute()
        .catch(() => undefined);
      throw error;
    }
  }
}
