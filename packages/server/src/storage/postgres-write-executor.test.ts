import net from 'node:net';
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BotwireError } from '../errors/botwire-error.js';
import { createLogger } from '../logging/logger.js';
import { GroupCommitter } from './group-committer.js';
import type { KyselyStore } from './kysely-store.js';
import { KyselyWriteExecutor } from './kysely-write-executor.js';
import { createPostgresDatabase } from './postgres-database.js';
import { PostgresWriteExecutor } from './postgres-write-executor.js';
import type { NewUserMessage } from './store.js';
import { useTemporaryStores } from './temporary-store.test-support.js';
import type { NewMessageRow, WriteOperation } from './write-batch.js';

const temporaryStores = useTemporaryStores('postgres');

/**
 * Counts the queries every `pg` client of this process sends: each `Client.query` call is one
 * round trip to the server (pg sends parse, bind and execute of one query together and waits
 * for its answer). The real pool's clients are `pg.Client`s, so the count covers the store's.
 */
function countQueries(): { count: () => number; texts: () => string[] } {
  const spy = vi.spyOn(pg.Client.prototype, 'query');
  return {
    count: () => spy.mock.calls.length,
    texts: () => spy.mock.calls.map((call) => String(call[0])),
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

async function conversationsOf(store: KyselyStore): Promise<[number, number]> {
  const pipeline = await store.pipelines.create({
    name: 'P',
    description: '',
    runner: { type: 'echo', settings: { delay_ms: 0 } },
  });
  const identity = { pipelineUuid: pipeline.uuid, sessionType: 'person', key: 'alice' } as const;
  const alice = await store.conversations.getOrCreate(identity);
  const bob = await store.conversations.getOrCreate({ ...identity, key: 'bob' });
  return [alice.id, bob.id];
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

function replyRow(conversationId: number): NewMessageRow {
  return { ...userRow(conversationId, '', null), role: 'assistant', status: 'streaming' };
}

function userMessage(conversationId: number, text: string): NewUserMessage {
  return {
    conversationId,
    chain: [{ type: 'Plain', text }],
    content: text,
    sender: { id: 'alice', name: 'Alice' },
    connectionId: null,
    clientId: null,
  };
}

/** A loopback port nothing listens on: taken from the OS, then released. */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('PostgresWriteExecutor', () => {
  it('sends a batch of every kind of write as one query, with the outcome of each write', async () => {
    const { store, db } = await temporaryStores.open();
    const [alice, bob] = await conversationsOf(store);
    // Stored before the batch: a message whose client_id the batch repeats, and two replies.
    const stored = await store.messages.insertUserMessage({
      ...userMessage(alice, 'earlier'),
      clientId: 'c-stored',
    });
    const streaming = await store.messages.insertReply({
      conversationId: alice,
      replyTo: stored.id,
    });
    const finishing = await store.messages.insertReply({ conversationId: bob, replyTo: stored.id });
    await store.messages.appendReplyProgress(finishing.id, 0, 'par');

    const executor = new PostgresWriteExecutor(db);
    const operations: WriteOperation[] = [
      { kind: 'insert-message', row: userRow(alice, 'one', 'c1') },
      { kind: 'insert-message', row: replyRow(alice), replyToPrevious: true },
      // A client_id repeated in the batch, and one already stored: nothing, and no reply.
      { kind: 'insert-message', row: userRow(alice, 'one again', 'c1') },
      { kind: 'insert-message', row: replyRow(alice), replyToPrevious: true },
      { kind: 'insert-message', row: userRow(alice, 'retry', 'c-stored') },
      { kind: 'insert-message', row: replyRow(alice), replyToPrevious: true },
      // The same client_id in another conversation is no duplicate.
      { kind: 'insert-message', row: userRow(bob, 'elsewhere', 'c1') },
      { kind: 'insert-message', row: userRow(bob, 'no key', null) },
      { kind: 'append-reply-progress', messageId: streaming.id, start: 0, text: 'ab' },
      { kind: 'append-reply-progress', messageId: streaming.id, start: 2, text: 'cd' },
      { kind: 'append-reply-progress', messageId: finishing.id, start: 3, text: 'tial' },
      {
        kind: 'finish-reply',
        messageId: finishing.id,
        content: 'partial, then whole',
        messageChain: '[]',
        status: 'complete',
        updatedAt: '2026-12-05T00:00:01.000Z',
        hadProgress: true,
        figures: {
          first_chunk_ms: null,
          duration_ms: 90,
          chunks: 2,
          characters: 19,
          input_tokens: 4,
          output_tokens: null,
          finish_reason: 'length',
        },
      },
      // Too late: the reply finished earlier in the batch.
      { kind: 'append-reply-progress', messageId: finishing.id, start: 7, text: 'late' },
      { kind: 'reserve-seq', conversationId: alice, seqReserved: 5_000 },
      { kind: 'reserve-seq', conversationId: alice, seqReserved: 10 },
      { kind: 'reserve-seq', conversationId: bob, seqReserved: 2_000 },
    ];

    const queries = countQueries();
    const results = await executor.execute(operations);
    expect(queries.count()).toBe(1);

    const idOf = (index: number): number | undefined => {
      const result = results[index];
      if (result?.ok !== true) throw new Error(`write ${index} failed`);
      return result.id;
    };
    expect(results.every((result) => result.ok)).toBe(true);
    for (const inserted of [0, 1, 6, 7]) expect(idOf(inserted)).toEqual(expect.any(Number));
    for (const skipped of [2, 3, 4, 5]) expect(idOf(skipped)).toBeUndefined();
    // Ids follow the order of the writes, above everything stored before.
    const ids = [0, 1, 6, 7].map((index) => idOf(index) ?? 0);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(ids[0]).toBeGreaterThan(finishing.id);

    const rows = await db
      .selectFrom('messages')
      .select(['id', 'conversation_id', 'role', 'content', 'reply_to', 'client_id', 'status'])
      .where('id', '>', finishing.id)
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      {
        id: idOf(0),
        conversation_id: alice,
        role: 'user',
        content: 'one',
        reply_to: null,
        client_id: 'c1',
        status: 'complete',
      },
      {
        id: idOf(1),
        conversation_id: alice,
        role: 'assistant',
        content: '',
        reply_to: idOf(0),
        client_id: null,
        status: 'streaming',
      },
      {
        id: idOf(6),
        conversation_id: bob,
        role: 'user',
        content: 'elsewhere',
        reply_to: null,
        client_id: 'c1',
        status: 'complete',
      },
      {
        id: idOf(7),
        conversation_id: bob,
        role: 'user',
        content: 'no key',
        reply_to: null,
        client_id: null,
        status: 'complete',
      },
    ]);
    const progress = await db
      .selectFrom('reply_progress')
      .select(['message_id', 'start', 'text'])
      .orderBy('message_id')
      .orderBy('start')
      .execute();
    expect(progress).toEqual([
      { message_id: streaming.id, start: 0, text: 'ab' },
      { message_id: streaming.id, start: 2, text: 'cd' },
    ]);
    const finished = await db
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
      .where('id', '=', finishing.id)
      .executeTakeFirstOrThrow();
    // The figures came in the same statement as the final text.
    expect(finished).toEqual({
      content: 'partial, then whole',
      status: 'complete',
      first_chunk_ms: null,
      duration_ms: 90,
      chunk_count: 2,
      character_count: 19,
      input_tokens: 4,
      output_tokens: null,
      finish_reason: 'length',
    });
    const seqs = await db
      .selectFrom('conversations')
      .select(['id', 'seq_reserved'])
      .orderBy('id')
      .execute();
    expect(seqs).toEqual([
      { id: alice, seq_reserved: 5_000 },
      { id: bob, seq_reserved: 2_000 },
    ]);
  });

  it('is one query per group commit, where the Kysely executor needs several per write', async () => {
    const { store, db } = await temporaryStores.open();
    const [alice, bob] = await conversationsOf(store);

    // Through the store: forty messages (and twenty replies) sent in one turn are one batch.
    let queries = countQueries();
    const sent = await Promise.all([
      ...Array.from({ length: 20 }, (_, index) =>
        store.messages.insertUserMessage(userMessage(index % 2 === 0 ? alice : bob, `m${index}`)),
      ),
      ...Array.from({ length: 20 }, (_, index) =>
        store.messages.insertUserMessageWithReply(userMessage(alice, `with reply ${index}`)),
      ),
    ]);
    expect(queries.count()).toBe(1);
    expect(queries.texts()[0]).toMatch(/^with new_messages as/);
    expect(
      new Set(sent.map((message) => ('id' in message ? message.id : message.message.id))).size,
    ).toBe(40);
    vi.restoreAllMocks();

    // The same kind of batch one statement at a time: the counter counts what it should.
    const operations: WriteOperation[] = Array.from({ length: 10 }, (_, index) => ({
      kind: 'insert-message',
      row: userRow(bob, `k${index}`, null),
    }));
    queries = countQueries();
    await new KyselyWriteExecutor(db).execute(operations);
    expect(queries.count()).toBeGreaterThanOrEqual(operations.length * 3);
    vi.restoreAllMocks();

    queries = countQueries();
    const results = await new PostgresWriteExecutor(db).execute(operations);
    expect(queries.count()).toBe(1);
    expect(results.filter((result) => result.ok && result.id !== undefined)).toHaveLength(10);
  });

  it('lets a write PostgreSQL refuses fail alone, storing the rest of its batch', async () => {
    const { store, db } = await temporaryStores.open();
    const [alice] = await conversationsOf(store);
    const executor = new PostgresWriteExecutor(db);
    const results = await executor.execute([
      { kind: 'insert-message', row: userRow(alice, 'kept', 'k1') },
      // A conversation that is gone (its pipeline deleted meanwhile): a foreign key error.
      { kind: 'insert-message', row: userRow(alice + 999, 'orphan', null) },
      // Text PostgreSQL cannot store.
      { kind: 'insert-message', row: userRow(alice, 'a\u0000b', null) },
      { kind: 'insert-message', row: userRow(alice, 'kept too', null) },
      { kind: 'reserve-seq', conversationId: alice, seqReserved: 300 },
    ]);
    expect(results[0]).toEqual({ ok: true, id: expect.any(Number) as number });
    expect(results[1]?.ok).toBe(false);
    const refused = results[2];
    expect(refused?.ok === false && refused.error).toBeInstanceOf(BotwireError);
    expect(refused?.ok === false && (refused.error as BotwireError).code).toBe('VALIDATION_FAILED');
    expect(results[3]).toEqual({ ok: true, id: expect.any(Number) as number });
    expect(results[4]).toEqual({ ok: true, id: undefined });
    const contents = await db.selectFrom('messages').select('content').orderBy('id').execute();
    expect(contents.map((row) => row.content)).toEqual(['kept', 'kept too']);
    const conversation = await db
      .selectFrom('conversations')
      .select('seq_reserved')
      .where('id', '=', alice)
      .executeTakeFirstOrThrow();
    expect(conversation.seq_reserved).toBe(300);
  });

  it('fails every write of a batch with DATABASE_UNAVAILABLE when PostgreSQL cannot be reached', async () => {
    const db = createPostgresDatabase({
      url: `postgres://postgres@127.0.0.1:${await deadPort()}/postgres`,
      poolSize: 1,
      logger: createLogger({ level: 'silent' }),
    });
    try {
      const committer = new GroupCommitter({ executor: new PostgresWriteExecutor(db) });
      const writes = [
        committer.write({ kind: 'insert-message', row: userRow(1, 'a', 'x') }),
        committer.write({ kind: 'append-reply-progress', messageId: 1, start: 0, text: 'b' }),
        committer.write({ kind: 'reserve-seq', conversationId: 1, seqReserved: 10 }),
      ];
      const outcomes = await Promise.allSettled(writes);
      for (const outcome of outcomes) {
        expect(outcome.status).toBe('rejected');
        const reason: unknown = outcome.status === 'rejected' ? outcome.reason : undefined;
        expect(reason).toBeInstanceOf(BotwireError);
        expect((reason as BotwireError).code).toBe('DATABASE_UNAVAILABLE');
      }
    } finally {
      await db.destroy();
    }
  });
});
