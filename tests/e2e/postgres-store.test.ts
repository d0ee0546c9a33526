import { readdirSync } from 'node:fs';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openChatSocket } from '../support/chat-socket.js';
import { closedWithin } from '../support/e2e-helpers.js';
import { TEST_POSTGRES_URL, useTestPostgresDatabases } from '../support/postgres-database.js';
import { rest } from '../support/rest-client.js';
import {
  TestResources,
  eventually,
  fetchHistory,
  resetConversation,
  within,
} from '../support/stream-test-kit.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

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

/** `/readyz` as status and body. */
async function readiness(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: await response.json() };
}

/** A real server process on PostgreSQL (`BOTWIRE_DATABASE_URL`), restarted on the same database. */
describe('PostgreSQL as the store', () => {
  const resources = new TestResources();
  const newDatabase = useTestPostgresDatabases();
  let proxy: TcpProxy | undefined;
  afterEach(async () => {
    await resources.dispose();
    await proxy?.close();
    proxy = undefined;
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

  it('survives losing its database: not ready, typed errors, nothing stored twice, then back by itself', async () => {
    const database = await newDatabase();
    // The network between Botwire and PostgreSQL goes through a forwarder the test can cut.
    const target = new URL(TEST_POSTGRES_URL);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const url = new URL(database.url);
    url.port = String(proxy.port);
    const server = await resources.startServer({ env: { BOTWIRE_DATABASE_URL: url.toString() } });
    const pipeline = server.defaultPipelineUuid;
    const chat = await resources.connect(server, pipeline, { query: 'session_type=person' });
    chat.sendText('before the outage');
    const first = await chat.next(
      'user_message',
      (frame) => frame.data.content === 'before the outage',
    );
    await chat.finalResponse(first.data.id);

    await proxy.cut();
    expect(await readiness(server.url)).toEqual({
      status: 503,
      body: { status: 'not ready', database: 'unreachable', accepting: true },
    });
    chat.sendText('during the outage', { client_id: 'outage-1' });
    const refused = await chat.next('error');
    expect(refused.code).toBe('DATABASE_UNAVAILABLE');
    // Clients are not told where the database is; the operator's log is.
    expect(refused.message).not.toContain(database.name);
    expect(server.output()).toContain('PostgreSQL cannot be reached');
    // A conversation not open yet cannot be joined: said as such, with the close to retry on.
    const joining = await openChatSocket(server.wsUrl, pipeline, {
      query: 'session_type=person&session=elsewhere',
    });
    expect((await joining.next('error')).code).toBe('DATABASE_UNAVAILABLE');
    expect((await closedWithin(joining, 5_000)).code).toBe(1011);
    expect(chat.ofType('user_message').map((frame) => frame.data.content)).toEqual([
      'before the outage',
    ]);
    const history = await rest(
      server.url,
      'GET',
      `/api/v1/pipelines/${pipeline}/ws/messages/person?limit=10`,
    );
    expect(history.status).toBe(503);
    expect(history.body.error).toBe('DATABASE_UNAVAILABLE');
    expect(server.child.exitCode).toBeNull();

    await proxy.restore();
    await eventually(
      async () => (await readiness(server.url)).status === 200,
      10_000,
      'readiness after the database is back',
    );
    // The log line travels through the child's stdout pipe: it may arrive after the answer.
    await eventually(
      () => server.output().includes('PostgreSQL can be reached again'),
      5_000,
      'the recovery log line',
    );
    // The client sends the refused message again, with the same client_id: stored once.
    chat.sendText('during the outage', { client_id: 'outage-1' });
    const stored = await chat.next('user_message', (frame) => frame.data.client_id === 'outage-1');
    await chat.finalResponse(stored.data.id);
    const after = await fetchHistory(server, pipeline, 'person');
    expect(after.messages.map((message) => [message.role, message.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
    expect(server.child.exitCode).toBeNull();
  });
});
