import type { UserMessageFrame } from '@botwire/protocol';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatSocket } from '../support/chat-socket.js';
import { useTestPostgresDatabases } from '../support/postgres-database.js';
import {
  TestResources,
  createBenchPipeline,
  fetchHistory,
  within,
} from '../support/stream-test-kit.js';

/** `(client_id, count)` of the user messages in the database, read directly. */
async function storedClientIds(url: string): Promise<Map<string, number>> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ client_id: string; count: string }>(
      "select client_id, count(*) as count from messages where role = 'user' group by client_id",
    );
    return new Map(rows.map((row) => [row.client_id, Number(row.count)]));
  } finally {
    await client.end();
  }
}

/**
 * The group-committed write path on PostgreSQL (one statement per batch), against real server
 * processes: the guard rail of `write-path.test.ts`, on the other store.
 */
describe('write path on PostgreSQL', () => {
  const resources = new TestResources();
  const newDatabase = useTestPostgresDatabases();
  afterEach(async () => {
    await resources.dispose();
  });

  it('keeps every acknowledged message of a burst across a kill -9, each stored once', async () => {
    const database = await newDatabase();
    const env = {
      BOTWIRE_DATABASE_URL: database.url,
      BOTWIRE_MAX_FRAMES_PER_SECOND: '10000',
      BOTWIRE_MAX_QUEUED_MESSAGES: '1000',
    };
    const first = await resources.startServer({ env });
    const pipeline = await createBenchPipeline(first, 'burst', {
      chunks: 1,
      chunk_bytes: 8,
      interval_ms: 0,
    });
    const sessions = ['burst-0', 'burst-1', 'burst-2', 'burst-3'];
    const chats = await Promise.all(
      sessions.map((session) =>
        resources.connect(first, pipeline, { query: `session_type=person&session=${session}` }),
      ),
    );
    const perConnection = 1_000;
    for (const [index, chat] of chats.entries()) {
      for (let message = 0; message < perConnection; message += 1) {
        chat.sendText(`m-${index}-${message}`, { client_id: `c-${index}-${message}` });
      }
    }
    const acknowledged = (chat: ChatSocket): UserMessageFrame[] => chat.ofType('user_message');
    // Kill while the burst is being stored: some messages acknowledged, others still in flight.
    // Checked on every frame (not polled), so the kill follows the 20th acknowledgement closely.
    await Promise.race(
      chats.map((chat) =>
        chat.waitFor(
          (frames) => frames.filter((frame) => frame.type === 'user_message').length >= 20,
        ),
      ),
    );
    await first.kill();
    await Promise.all(chats.map((chat) => within(chat.closed, 3_000, 'socket close')));
    const acks = chats.map((chat) => acknowledged(chat));
    const total = acks.reduce((sum, frames) => sum + frames.length, 0);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThan(chats.length * perConnection);

    // In the database: every acknowledged client_id, none twice.
    const stored = await storedClientIds(database.url);
    for (const frame of acks.flat()) expect(stored.get(frame.data.client_id ?? '')).toBe(1);
    expect([...stored.values()].every((count) => count === 1)).toBe(true);

    // And through a restarted server, with the ids and texts that were acknowledged.
    const second = await resources.startServer({ env });
    for (const [index, session] of sessions.entries()) {
      const history = await fetchHistory(second, pipeline, 'person', { session });
      const byId = new Map(
        history.messages
          .filter((message) => message.role === 'user')
          .map((message) => [message.id, message]),
      );
      for (const ack of acks[index] ?? []) {
        expect(byId.get(ack.data.id)).toMatchObject({
          content: ack.data.content,
          client_id: ack.data.client_id,
        });
      }
    }
  });
});
