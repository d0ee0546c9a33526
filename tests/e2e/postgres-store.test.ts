import { readdirSync } from 'node:fs';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestPostgresDatabases } from '../support/postgres-database.js';
import {
  TestResources,
  fetchHistory,
  resetConversation,
  within,
} from '../support/stream-test-kit.js';

/** Rows of `table` in the database, read directly: proof the data is in PostgreSQL. */
async function countRows(url: string, table: 'messages' | 'conversations'): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ count: string }>(
      `select count(*) as count from ${table}`,
    );
    return Number(rows[0]?.count);
  } finally {
    await client.end();
  }
}

/** A real server process on PostgreSQL (`BOTWIRE_DATABASE_URL`), restarted on the same database. */
describe('PostgreSQL as the store', () => {
  const resources = new TestResources();
  const newDatabase = useTestPostgresDatabases();
  afterEach(async () => {
    await resources.dispose();
  });

  it('chats, resets and keeps history across a restart; seqs continue above those handed out', async () => {
    const database = await newDatabase();
    const env = { BOTWIRE_DATABASE_URL: database.url };
    const first = await resources.startServer({ env });
    // Nothing goes to SQLite: the data directory stays empty.
    expect(readdirSync(first.dataDir)).toEqual([]);
    const readiness = await fetch(`${first.url}/readyz`);
    expect(readiness.status).toBe(200);
    expect(await readiness.json()).toMatchObject({ status: 'ready', database: 'ok' });

    const pipeline = first.defaultPipelineUuid;
    const chat = await resources.connect(first, pipeline, { query: 'session_type=person' });
    chat.sendText('forget me', { client_id: 'pg-1' });
    const forgotten = await chat.next(
      'user_message',
      (frame) => frame.data.content === 'forget me',
    );
    await chat.finalResponse(forgotten.data.id);
    expect((await fetchHistory(first, pipeline, 'person')).messages).toHaveLength(2);

    await resetConversation(first, pipeline, 'person');
    const reset = await chat.next('session_reset');
    expect((await fetchHistory(first, pipeline, 'person')).messages).toEqual([]);

    chat.sendText('remember me', { client_id: 'pg-2' });
    const kept = await chat.next('user_message', (frame) => frame.data.content === 'remember me');
    expect(kept.seq).toBe(reset.seq + 1);
    const final = await chat.finalResponse(kept.data.id);
    const before = await fetchHistory(first, pipeline, 'person');
    expect(before.messages.map((message) => [message.role, message.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
    expect(before.messages[0]?.content).toBe('remember me');
    expect(before.messages[1]?.content).toBe(final.data.content);
    expect(before.last_seq).toBe(final.seq);
    expect(await countRows(database.url, 'messages')).toBe(2);

    expect(await within(first.stop(), 8_000, 'server exit after SIGTERM')).toBe(0);

    // Another data directory: everything the second process knows comes from PostgreSQL.
    const second = await resources.startServer({ env });
    expect(second.dataDir).not.toBe(first.dataDir);
    expect(second.defaultPipelineUuid).toBe(pipeline);
    const after = await fetchHistory(second, pipeline, 'person');
    expect(after.messages).toEqual(before.messages);
    expect(after.last_seq).toBeGreaterThan(before.last_seq);

    const again = await resources.connect(second, pipeline, { query: 'session_type=person' });
    again.sendText('back again');
    const ack = await again.next('user_message', (frame) => frame.data.content === 'back again');
    expect(ack.seq).toBe(after.last_seq + 1);
    expect(ack.seq).toBeGreaterThan(final.seq);
    expect(ack.data.id).toBeGreaterThan(final.data.id);
    await again.finalResponse(ack.data.id);

    // A retry of a message sent before the restart is recognised by its client_id.
    again.sendText('remember me', { client_id: 'pg-2' });
    const retry = await again.next('user_message', (frame) => frame.data.client_id === 'pg-2');
    expect(retry.data.id).toBe(kept.data.id);
    expect(await countRows(database.url, 'messages')).toBe(4);
    expect(await countRows(database.url, 'conversations')).toBe(1);
  });
});
