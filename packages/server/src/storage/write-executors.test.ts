import { describe, expect, it } from 'vitest';
import type { KyselyStore } from './kysely-store.js';
import { GroupCommitter } from './group-committer.js';
import { KyselyWriteExecutor } from './kysely-write-executor.js';
import { openSqliteDatabase } from './sqlite-database.js';
import { SqliteWriteExecutor } from './sqlite-write-executor.js';
import { PostgresWriteExecutor } from './postgres-write-executor.js';
import type { SqlDialectName } from './sql-dialect.js';
import { useTemporaryStores, type TemporaryStore } from './temporary-store.test-support.js';
import type { NewMessageRow, WriteBatchExecutor, WriteOperation } from './write-batch.js';

async function conversationOf(store: KyselyStore): Promise<number> {
  const pipeline = await store.pipelines.create({
    name: 'P',
    description: '',
    runner: { type: 'echo', settings: { delay_ms: 0 } },
  });
  const conversation = await store.conversations.getOrCreate({
    pipelineUuid: pipeline.uuid,
    sessionType: 'person',
    key: 'alice',
  });
  return conversation.id;
}

function userRow(conversationId: number, text: string, clientId: string | null): NewMessageRow {
  const now = '2026-12-05T00:00:00.000Z';
  return {
    conversation_id: conversationId,
    role: 'user',
    content: text,
    message_chain: JSON.stringify([{ type: 'Plain', text }]),
    status: 'complete',
    reply_to: null,
    sender_id: 'alice',
    sender_name: 'Alice',
    connection_id: null,
    client_id: clientId,
    created_at: now,
    updated_at: now,
  };
}

/** An executor under test over the store's data, and how to let go of it. */
interface OpenedExecutor {
  executor: WriteBatchExecutor;
  close: () => Promise<void>;
}

/**
 * Every executor must pass the same checks: each dialect's own (one transaction of prepared
 * statements on SQLite, one statement on PostgreSQL) and the Kysely one on both.
 */
const executors: [SqlDialectName, string, (opened: TemporaryStore) => OpenedExecutor][] = [
  [
    'sqlite',
    'SqliteWriteExecutor',
    ({ location }) => {
      const { db, sqlite } = openSqliteDatabase({ file: location });
      return { executor: new SqliteWriteExecutor(sqlite, db), close: () => db.destroy() };
    },
  ],
  [
    'sqlite',
    'KyselyWriteExecutor',
    ({ location }) => {
      const { db } = openSqliteDatabase({ file: location });
      return { executor: new KyselyWriteExecutor(db), close: () => db.destroy() };
    },
  ],
  // On PostgreSQL the executors use the store's own pool (closed with the store).
  [
    'postgres',
    'PostgresWriteExecutor',
    ({ db }) => ({ executor: new PostgresWriteExecutor(db), close: () => Promise.resolve() }),
  ],
  [
    'postgres',
    'KyselyWriteExecutor',
    ({ db }) => ({ executor: new KyselyWriteExecutor(db), close: () => Promise.resolve() }),
  ],
];

describe.each(executors)('on %s: %s', (dialect, _name, openExecutor) => {
  const temporaryStores = useTemporaryStores(dialect);

  it('applies a batch in order in one transaction, one result per write', async () => {
    const opened = await temporaryStores.open();
    const { store, db } = opened;
    const conversationId = await conversationOf(store);
    const { executor, close } = openExecutor(opened);
    try {
      const operations: WriteOperation[] = [
        { kind: 'insert-message', row: userRow(conversationId, 'one', 'c1') },
        { kind: 'insert-message', row: userRow(conversationId, 'again', 'c1') },
        { kind: 'insert-message', row: userRow(conversationId, 'two', null) },
        // A reply row stored with its message: reply_to is the previous insert's id ...
        {
          kind: 'insert-message',
          row: { ...userRow(conversationId, '', null), role: 'assistant', status: 'streaming' },
          replyToPrevious: true,
        },
        { kind: 'reserve-seq', conversationId, seqReserved: 5_000 },
        { kind: 'reserve-seq', conversationId, seqReserved: 10 },
        // ... and nothing when that insert stored nothing (a duplicate client_id).
        { kind: 'insert-message', row: userRow(conversationId, 'again', 'c1') },
        {
          kind: 'insert-message',
          row: { ...userRow(conversationId, '', null), role: 'assistant', status: 'streaming' },
          replyToPrevious: true,
        },
        // A message of a conversation that does not exist fails alone.
        { kind: 'insert-message', row: userRow(conversationId + 999, 'orphan', null) },
      ];
      const results = await executor.execute(operations);
      expect(results).toHaveLength(operations.length);
      expect(results[0]).toEqual({ ok: true, id: expect.any(Number) as number });
      // A duplicate client_id stores nothing and is no failure.
      expect(results[1]).toEqual({ ok: true, id: undefined });
      expect(results[2]).toEqual({ ok: true, id: expect.any(Number) as number });
      expect(results[3]).toEqual({ ok: true, id: expect.any(Number) as number });
      expect(results[6]).toEqual({ ok: true, id: undefined });
      expect(results[7]).toEqual({ ok: true, id: undefined });
      expect(results[8]?.ok).toBe(false);
      const rows = await db
        .selectFrom('messages')
        .select(['id', 'role', 'content', 'reply_to'])
        .orderBy('id')
        .execute();
      const twoId = results[2]?.ok === true ? results[2].id : undefined;
      expect(rows.map((row) => [row.role, row.content, row.reply_to])).toEqual([
        ['user', 'one', null],
        ['user', 'two', null],
        ['assistant', '', twoId],
      ]);
      // Raise-only: the lower reservation later in the batch did not lower it.
      const conversation = await db
        .selectFrom('conversations')
        .select('seq_reserved')
        .where('id', '=', conversationId)
        .executeTakeFirstOrThrow();
      expect(conversation.seq_reserved).toBe(5_000);
    } finally {
      await close();
    }
  });

  it('appends progress only to a streaming reply and folds it away when the reply finishes', async () => {
    const opened = await temporaryStores.open();
    const { store, db } = opened;
    const conversationId = await conversationOf(store);
    const question = await store.messages.insertUserMessage({
      conversationId,
      chain: [{ type: 'Plain', text: 'q' }],
      content: 'q',
      sender: { id: 'alice', name: 'Alice' },
      connectionId: null,
      clientId: null,
    });
    const reply = await store.messages.insertReply({ conversationId, replyTo: question.id });
    const { executor, close } = openExecutor(opened);
    try {
      await executor.execute([
        { kind: 'append-reply-progress', messageId: reply.id, start: 0, text: 'ab' },
        { kind: 'append-reply-progress', messageId: reply.id, start: 2, text: 'cd' },
      ]);
      const pieces = await db
        .selectFrom('reply_progress')
        .select('text')
        .orderBy('start')
        .execute();
      expect(pieces.map((piece) => piece.text)).toEqual(['ab', 'cd']);
      await executor.execute([
        {
          kind: 'finish-reply',
          messageId: reply.id,
          content: 'abcde',
          messageChain: '[]',
          status: 'complete',
          updatedAt: '2026-12-05T00:00:01.000Z',
          hadProgress: true,
          figures: {
            first_chunk_ms: 12,
            duration_ms: 340,
            chunks: 3,
            characters: 5,
            input_tokens: null,
            output_tokens: 7,
            finish_reason: 'stop',
          },
        },
        { kind: 'append-reply-progress', messageId: reply.id, start: 4, text: 'late' },
      ]);
      expect(await db.selectFrom('reply_progress').selectAll().execute()).toEqual([]);
      // The figures are part of the finish: the same write stores them with the text.
      const stored = await db
        .selectFrom('messages')
        .select([
          'content',
          'status',
          'first_chunk_ms',
          'duration_ms',
          'chunk_count',
          'character_count',
          'input_tokens',
          'output_tokens',
          'finish_reason',
        ])
        .where('id', '=', reply.id)
        .executeTakeFirstOrThrow();
      expect(stored).toEqual({
        content: 'abcde',
        status: 'complete',
        first_chunk_ms: 12,
        duration_ms: 340,
        chunk_count: 3,
        character_count: 5,
        input_tokens: null,
        output_tokens: 7,
        finish_reason: 'stop',
      });
      // A finish without figures leaves the stored ones alone.
      await executor.execute([
        {
          kind: 'finish-reply',
          messageId: reply.id,
          content: 'abcdef',
          messageChain: '[]',
          status: 'complete',
          updatedAt: '2026-12-05T00:00:02.000Z',
          hadProgress: false,
        },
      ]);
      const again = await db
        .selectFrom('messages')
        .select(['content', 'duration_ms', 'output_tokens'])
        .where('id', '=', reply.id)
        .executeTakeFirstOrThrow();
      expect(again).toEqual({ content: 'abcdef', duration_ms: 340, output_tokens: 7 });
    } finally {
      await close();
    }
  });

  it('serves the group commit: writes of one turn are one batch, each settled with its own outcome', async () => {
    const opened = await temporaryStores.open();
    const conversationId = await conversationOf(opened.store);
    const { executor, close } = openExecutor(opened);
    const batches: number[] = [];
    const committer = new GroupCommitter({
      executor: {
        execute: (operations) => {
          batches.push(operations.length);
          return executor.execute(operations);
        },
      },
    });
    try {
      const writes = Array.from({ length: 30 }, (_, index) =>
        committer.write({
          kind: 'insert-message',
          // Every third message repeats the client_id of the one before it.
          row: userRow(conversationId, `m${index}`, `c${index - (index % 3 === 2 ? 1 : 0)}`),
        }),
      );
      const orphan = committer.write({
        kind: 'insert-message',
        row: userRow(conversationId + 999, 'orphan', null),
      });
      const ids = await Promise.all(writes);
      await expect(orphan).rejects.toThrow();
      expect(batches).toEqual([31]);
      const stored = ids.filter((id): id is number => id !== undefined);
      expect(stored).toHaveLength(20);
      expect(ids.map((id, index) => (index % 3 === 2 ? id : 'kept'))).toEqual(
        ids.map((_, index) => (index % 3 === 2 ? undefined : 'kept')),
      );
      const rows = await opened.db
        .selectFrom('messages')
        .select('id')
        .where('conversation_id', '=', conversationId)
        .orderBy('id')
        .execute();
      expect(rows.map((row) => row.id)).toEqual(stored);
    } finally {
      await close();
    }
  });
});
