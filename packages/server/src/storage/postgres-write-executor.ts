import { CompiledQuery, type Kysely } from 'kysely';
import { BotwireError } from '../errors/botwire-error.js';
import type { DatabaseSchema } from './database-schema.js';
import { KyselyWriteExecutor } from './kysely-write-executor.js';
import type { WriteBatchExecutor, WriteOperation, WriteResult } from './write-batch.js';

/**
 * The whole batch as one statement: every kind of write is a data-modifying CTE fed by arrays
 * (`unnest`), so the text and its 33 parameters are the same whatever the batch holds, and
 * PostgreSQL's 65,535-parameter limit is never near. One statement is atomic by itself, so no
 * `begin`/`commit` round trips, and it commits (one WAL flush) before the reply arrives.
 *
 * - New message ids are drawn from the table's sequence up front and handed out in operation
 *   order (`ids`), so a batch's messages are numbered in the order they were requested (a reply
 *   after its message) and each inserted row is matched to its operation by its id, never by
 *   the order of RETURNING rows, which PostgreSQL does not promise.
 * - A duplicate `(conversation_id, client_id)` inserts nothing (`on conflict … do nothing`) and
 *   so returns no id, without failing the statement.
 * - A reply stored with its message (`replyToPrevious`) is inserted by the second CTE only when
 *   its message's id came back from the first.
 * - The CTEs all see the database as it was before the statement; the plan below removes the
 *   few combinations where that would differ from running the writes one by one.
 */
const WRITE_BATCH_SQL = `with new_messages as (
  select * from unnest(
    $1::int[], $2::int[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[],
    $8::bigint[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[]
  ) as m(ord, previous, conversation_id, role, content, message_chain, status, reply_to,
         sender_id, sender_name, connection_id, client_id, created_at, updated_at)
),
ids as (
  select numbered.ord, drawn.id
  from (select ord, row_number() over (order by ord) as position from new_messages) as numbered
  join (
    select id, row_number() over (order by id) as position
    from (
      select nextval((select pg_get_serial_sequence('messages', 'id'))) as id from new_messages
    ) as draws
  ) as drawn using (position)
),
messages_inserted as (
  insert into messages (id, conversation_id, role, content, message_chain, status, reply_to,
    sender_id, sender_name, connection_id, client_id, created_at, updated_at)
  select ids.id, m.conversation_id, m.role, m.content, m.message_chain::jsonb, m.status,
    m.reply_to, m.sender_id, m.sender_name, m.connection_id, m.client_id,
    m.created_at::timestamptz, m.updated_at::timestamptz
  from new_messages as m join ids using (ord)
  where m.previous is null
  order by m.ord
  on conflict (conversation_id, client_id) where client_id is not null do nothing
  returning id
),
replies_inserted as (
  insert into messages (id, conversation_id, role, content, message_chain, status, reply_to,
    sender_id, sender_name, connection_id, client_id, created_at, updated_at)
  select ids.id, m.conversation_id, m.role, m.content, m.message_chain::jsonb, m.status,
    answered.id, m.sender_id, m.sender_name, m.connection_id, m.client_id,
    m.created_at::timestamptz, m.updated_at::timestamptz
  from new_messages as m
  join ids using (ord)
  join ids as answered on answered.ord = m.previous
  where answered.id in (select id from messages_inserted)
  order by m.ord
  on conflict (conversation_id, client_id) where client_id is not null do nothing
  returning id
),
progress_appended as (
  insert into reply_progress (message_id, start, text)
  select p.message_id, p.start, p.text
  from unnest($15::bigint[], $16::int[], $17::text[]) as p(message_id, start, text)
  where exists (select 1 from messages where id = p.message_id and status = 'streaming')
  on conflict do nothing
),
replies_finished as (
  update messages
  set content = f.content, message_chain = f.message_chain::jsonb, status = f.status,
    updated_at = f.updated_at::timestamptz,
    first_chunk_ms = case when f.has_figures then f.first_chunk_ms else messages.first_chunk_ms end,
    duration_ms = case when f.has_figures then f.duration_ms else messages.duration_ms end,
    chunk_count = case when f.has_figures then f.chunk_count else messages.chunk_count end,
    character_count =
      case when f.has_figures then f.character_count else messages.character_count end,
    input_tokens = case when f.has_figures then f.input_tokens else messages.input_tokens end,
    output_tokens = case when f.has_figures then f.output_tokens else messages.output_tokens end,
    finish_reason = case when f.has_figures then f.finish_reason else messages.finish_reason end
  from unnest(
    $18::bigint[], $19::text[], $20::text[], $21::text[], $22::text[], $26::boolean[],
    $27::int[], $28::int[], $29::int[], $30::int[], $31::int[], $32::int[], $33::text[]
  ) as f(id, content, message_chain, status, updated_at, has_figures, first_chunk_ms,
         duration_ms, chunk_count, character_count, input_tokens, output_tokens, finish_reason)
  where messages.id = f.id
),
progress_dropped as (
  delete from reply_progress where message_id = any($23::bigint[])
),
seqs_reserved as (
  update conversations set seq_reserved = r.seq_reserved
  from unnest($24::bigint[], $25::bigint[]) as r(id, seq_reserved)
  where conversations.id = r.id and conversations.seq_reserved < r.seq_reserved
)
select ids.ord, ids.id from ids
where ids.id in (select id from messages_inserted union all select id from replies_inserted)`;

/** The result of every write that returns no id; shared, as it never changes. */
const DONE: WriteResult = { ok: true, id: undefined };

/** The statement's parameters for one batch, and which operations it inserts. */
interface BatchPlan {
  parameters: unknown[];
  /** Indexes of the operations whose rows the statement may insert. */
  inserts: number[];
}

function emptyColumns<T extends string>(names: readonly T[]): Record<T, unknown[]> {
  return Object.fromEntries(names.map((name) => [name, []])) as unknown as Record<T, unknown[]>;
}

const MESSAGE_COLUMNS = [
  'ord',
  'previous',
  'conversation_id',
  'role',
  'content',
  'message_chain',
  'status',
  'reply_to',
  'sender_id',
  'sender_name',
  'connection_id',
  'client_id',
  'created_at',
  'updated_at',
] as const;

/**
 * Turns the operations into the statement's arrays, settling in advance what one statement
 * would do differently from running the writes one after another:
 * - a second insert of the same `(conversation_id, client_id)` in the batch inserts nothing
 *   (one by one, it would meet the first), and neither does a reply to it;
 * - progress of a reply finished in the same batch is not written (one by one, it would be
 *   dropped by the finish, or refused after it);
 * - several finishes of one reply: the last one counts; several reservations of one
 *   conversation: the highest (they only raise).
 *
 * Undefined when the batch holds what the statement cannot express (a reply to a reply stored
 * in the same batch); the repositories never ask for it, and such a batch goes the slow way.
 */
function planBatch(
  operations: readonly WriteOperation[],
  results: (WriteResult | undefined)[],
): BatchPlan | undefined {
  const messages = emptyColumns(MESSAGE_COLUMNS);
  const inserts: number[] = [];
  const sentKeys = new Set<string>();
  const sent = new Set<number>();
  const finishes = new Map<number, Extract<WriteOperation, { kind: 'finish-reply' }>>();
  const dropProgress = new Set<number>();
  const reservations = new Map<number, number>();
  for (const operation of operations) {
    if (operation.kind !== 'finish-reply') continue;
    // One by one, a later finish without figures would leave the earlier one's in place.
    const earlier = finishes.get(operation.messageId);
    finishes.set(
      operation.messageId,
      operation.figures === undefined && earlier?.figures !== undefined
        ? { ...operation, figures: earlier.figures }
        : operation,
    );
    if (operation.hadProgress) dropProgress.add(operation.messageId);
  }
  const progress = emptyColumns(['message_id', 'start', 'text'] as const);
  const progressKeys = new Set<string>();

  for (const [index, operation] of operations.entries()) {
    switch (operation.kind) {
      case 'insert-message': {
        const { row } = operation;
        let previous: number | null = null;
        if (operation.replyToPrevious === true) {
          const before = operations[index - 1];
          if (before?.kind === 'insert-message' && before.replyToPrevious === true)
            return undefined;
          if (!sent.has(index - 1)) {
            results[index] = DONE;
            continue;
          }
          previous = index - 1;
        } else if (row.client_id !== null) {
          const key = `${row.conversation_id}\u0000${row.client_id}`;
          if (sentKeys.has(key)) {
            results[index] = DONE;
            continue;
          }
          sentKeys.add(key);
        }
        sent.add(index);
        inserts.push(index);
        const values = { ...row, ord: index, previous };
        for (const column of MESSAGE_COLUMNS) messages[column].push(values[column]);
        continue;
      }
      case 'append-reply-progress': {
        results[index] = DONE;
        const key = `${operation.messageId}\u0000${operation.start}`;
        if (finishes.has(operation.messageId) || progressKeys.has(key)) continue;
        progressKeys.add(key);
        progress.message_id.push(operation.messageId);
        progress.start.push(operation.start);
        progress.text.push(operation.text);
        continue;
      }
      case 'finish-reply':
        results[index] = DONE;
        continue;
      case 'reserve-seq': {
        results[index] = DONE;
        const reserved = reservations.get(operation.conversationId) ?? -Infinity;
        reservations.set(operation.conversationId, Math.max(reserved, operation.seqReserved));
        continue;
      }
    }
  }
  const finished = [...finishes.values()];
  return {
    inserts,
    parameters: [
      ...MESSAGE_COLUMNS.map((column) => messages[column]),
      progress.message_id,
      progress.start,
      progress.text,
      finished.map((finish) => finish.messageId),
      finished.map((finish) => finish.content),
      finished.map((finish) => finish.messageChain),
      finished.map((finish) => finish.status),
      finished.map((finish) => finish.updatedAt),
      [...dropProgress],
      [...reservations.keys()],
      [...reservations.values()],
      // A finish without figures keeps the stored ones (`has_figures` false, nulls beside it).
      finished.map((finish) => finish.figures !== undefined),
      finished.map((finish) => finish.figures?.first_chunk_ms ?? null),
      finished.map((finish) => finish.figures?.duration_ms ?? null),
      finished.map((finish) => finish.figures?.chunks ?? null),
      finished.map((finish) => finish.figures?.characters ?? null),
      finished.map((finish) => finish.figures?.input_tokens ?? null),
      finished.map((finish) => finish.figures?.output_tokens ?? null),
      finished.map((finish) => finish.figures?.finish_reason ?? null),
    ],
  };
}

function isUnavailable(error: unknown): boolean {
  return error instanceof BotwireError && error.code === 'DATABASE_UNAVAILABLE';
}

/**
 * The PostgreSQL {@link WriteBatchExecutor}: a batch is **one statement, one round trip** on
 * one connection of the store's pool (the pool of `createPostgresDatabase`, so its type
 * parsers and its guard apply: a lost connection is `DATABASE_UNAVAILABLE` and is not reused).
 *
 * - `DATABASE_UNAVAILABLE`: the batch rejects, so every write of it fails with that code.
 * - Any other error (a conversation deleted meanwhile breaking a foreign key, text PostgreSQL
 *   cannot store, a deadlock): the statement stored nothing, so the batch is run again by
 *   {@link KyselyWriteExecutor}, one savepoint per write, and only the write at fault fails.
 *   That costs a round trip per write, but only for a batch that already failed.
 */
export class PostgresWriteExecutor implements WriteBatchExecutor {
  private readonly oneByOne: KyselyWriteExecutor;

  constructor(private readonly db: Kysely<DatabaseSchema>) {
    this.oneByOne = new KyselyWriteExecutor(db);
  }

  async execute(operations: readonly WriteOperation[]): Promise<WriteResult[]> {
    if (operations.length === 0) return [];
    const results = Array.from<WriteResult | undefined>({ length: operations.length });
    const plan = planBatch(operations, results);
    if (plan === undefined) return this.oneByOne.execute(operations);
    let inserted: Map<number, number>;
    try {
      const { rows } = await this.db.executeQuery<{ ord: number; id: number }>(
        CompiledQuery.raw(WRITE_BATCH_SQL, plan.parameters),
      );
      inserted = new Map(rows.map((row) => [row.ord, row.id]));
    } catch (error) {
      if (isUnavailable(error)) throw error;
      return this.oneByOne.execute(operations);
    }
    for (const index of plan.inserts) results[index] = { ok: true, id: inserted.get(index) };
    return results.map((result) => result ?? DONE);
  }
}
