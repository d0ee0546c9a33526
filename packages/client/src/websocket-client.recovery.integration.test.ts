import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { finalReplies, useRealServer } from '../../../tests/support/client-test-kit.js';
import {
  ADMIN_KEY,
  startServerProcess,
  type ServerProcess,
} from '../../../tests/support/server-process.js';
import type { ChatMessage } from '@botwire/protocol';
import { BackendClient } from './backend-client.js';
import { BotwireClientError } from './client-error.js';
import type { ConnectionState, StateChange } from './connection-state.js';
import type { WebSocketClient } from './websocket-client.js';

/**
 * Resolves with the next `stateChange` of `client` into `state`. Subscribed before the cause
 * (a socket cut, a server stop) can be delivered, since those reach the client asynchronously.
 */
function nextState(client: WebSocketClient, state: ConnectionState): Promise<StateChange> {
  return new Promise((resolve) => {
    const listener = (change: StateChange) => {
      if (change.current !== state) return;
      client.off('stateChange', listener);
      resolve(change);
    };
    client.on('stateChange', listener);
  });
}

/**
 * A barrier in the conversation: sends a message and waits for its whole reply. The server
 * handles a conversation's messages in order, so anything sent before (a resend, a duplicate)
 * has been stored and answered by the time this resolves.
 */
async function barrier(client: WebSocketClient): Promise<ChatMessage> {
  const reply = await client.send('barrier');
  await reply.done;
  return reply.message;
}

/** What the echo runner answers to `text`. */
const echo = (text: string) => `[echo: no model configured] ${text}`;

/**
 * How the SDK recovers, against the real server process (built by `npm run build`): transports
 * cut with `terminate()` (no close frame, as a dead network), lost acknowledgements, refusals that
 * must not be retried, and a server restart on the same port and data.
 */
describe('WebSocketClient recovering against the real server', { timeout: 30_000 }, () => {
  const real = useRealServer();

  /** The conversation as the server stored it: its user messages and its replies. */
  async function storedConversation(session: string) {
    const { server, backend } = real;
    const { messages } = await backend.getHistory(server.defaultPipelineUuid, 'person', {
      session,
    });
    return {
      users: messages.filter((message) => message.role === 'user'),
      replies: messages.filter((message) => message.role === 'assistant'),
    };
  }

  /** `botwire_errors_total{code}` from the server's metrics. */
  async function errorCount(code: string): Promise<number> {
    const response = await fetch(`${real.server.url}/metrics`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    const metrics = await response.text();
    const line = new RegExp(`^botwire_errors_total\\{code="${code}"\\} (\\d+)$`, 'm').exec(metrics);
    return Number(line?.[1] ?? 0);
  }

  it('delivers messages sent while reconnecting after the reconnect, each stored and answered once', async () => {
    const session = `outbox-${randomUUID()}`;
    // random() = 1: every retry waits the whole 500 ms, a window to send in while away.
    const { client, sockets, messages, states } = real.createClient(
      real.server.defaultPipelineUuid,
      {
        session,
        random: () => 1,
        backoff: { initialDelayMs: 500, maxDelayMs: 500 },
      },
    );
    await client.connect();
    const dropped = nextState(client, 'reconnecting');
    sockets[0]?.terminate();
    await dropped;

    const sendingFirst = client.send('first while away');
    const sendingSecond = client.send('second while away');
    expect(client.state).toBe('reconnecting');
    expect(sockets).toHaveLength(1);
    const [firstReply, secondReply] = await Promise.all([sendingFirst, sendingSecond]);
    const [first, second] = [firstReply.message, secondReply.message];

    expect(sockets).toHaveLength(2);
    expect(states.map(({ current, reason }) => [current, reason])).toEqual([
      ['connecting', 'connect-called'],
      ['connected', 'opened'],
      ['reconnecting', 'transport-error'],
      ['connected', 'opened'],
    ]);
    expect(first).toMatchObject({ role: 'user', content: 'first while away', status: 'complete' });
    expect(second).toMatchObject({ role: 'user', content: 'second while away' });
    expect(second.id).toBeGreaterThan(first.id);
    await Promise.all([firstReply.done, secondReply.done]);

    const { users, replies } = await storedConversation(session);
    expect(users).toEqual([first, second]);
    const answers = replies.map((reply) => [reply.reply_to ?? 0, reply.content] as const);
    expect(answers.sort(([left], [right]) => left - right)).toEqual([
      [first.id, echo('first while away')],
      [second.id, echo('second while away')],
    ]);
    // The app heard of each user message once.
    const heard = messages.filter((message) => message.role === 'user');
    expect(heard.map((message) => message.id)).toEqual([first.id, second.id]);
  });

  it('stores a message once when its connection dies before the acknowledgement', async () => {
    const session = `lost-ack-${randomUUID()}`;
    const clientId = randomUUID();
    const { client, sockets, messages } = real.createClient(real.server.defaultPipelineUuid, {
      session,
    });
    await client.connect();
    const sending = client.sendMessage('sent as the line dropped', { clientId });
    // In the same tick: whether or not the frame got out, its acknowledgement cannot come back.
    sockets[0]?.terminate();
    const sent = await sending;

    expect(sockets).toHaveLength(2);
    expect(sent).toMatchObject({ content: 'sent as the line dropped', client_id: clientId });
    // A second copy, were there one, would be stored and answered before the barrier's.
    const probe = await barrier(client);
    const { users, replies } = await storedConversation(session);
    expect(users).toEqual([sent, probe]);
    expect(replies.map((reply) => reply.reply_to)).toEqual([sent.id, probe.id]);
    const heard = messages.filter((message) => message.role === 'user');
    expect(heard.map((message) => message.id)).toEqual([sent.id, probe.id]);
    expect(finalReplies(messages, sent.id)).toHaveLength(1);
  });

  it('resolves a resend of an acknowledged client_id with the stored message, stored once', async () => {
    const session = `resend-${randomUUID()}`;
    const clientId = randomUUID();
    const { client, sockets, messages } = real.createClient(real.server.defaultPipelineUuid, {
      session,
    });
    await client.connect();
    const originalReply = await client.send('said once', { clientId });
    await originalReply.done;
    const original = originalReply.message;

    // The app lost the acknowledgement (say, the page reloaded) and sends again after a drop.
    const reconnected = nextState(client, 'connected');
    sockets[0]?.terminate();
    await reconnected;
    expect(sockets).toHaveLength(2);
    // The server answers with the original message and its original seq, which the client has
    // processed already: the send must settle all the same.
    const resent = await client.sendMessage('said once', { clientId });

    expect(resent).toEqual(original);
    const probe = await barrier(client);
    const { users, replies } = await storedConversation(session);
    expect(users).toEqual([original, probe]);
    expect(replies.map((reply) => reply.reply_to)).toEqual([original.id, probe.id]);
    expect(finalReplies(messages, original.id)).toHaveLength(1);
  });

  it('stops at once on a wrong API key: AUTH_FAILED, closed, one connection attempt', async () => {
    const refusalsBefore = await errorCount('AUTH_FAILED');
    const { client, sockets, states, errors } = real.createClient(real.server.defaultPipelineUuid, {
      token: 'bw_key_not-a-key-the-server-issued-0123',
    });

    const error = await client.connect().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BotwireClientError);
    expect(error).toMatchObject({ code: 'AUTH_FAILED', closeCode: 4001 });
    expect(client.state).toBe('closed');
    expect(states.map(({ current, reason }) => [current, reason])).toEqual([
      ['connecting', 'connect-called'],
      ['closed', 'final-close-code'],
    ]);
    expect(states.at(-1)).toMatchObject({ closeCode: 4001, error: { code: 'AUTH_FAILED' } });
    expect(errors).toEqual([error]);

    // A retry is scheduled only on entering `reconnecting`, which never happened (the states
    // above): one attempt, on both sides.
    expect(sockets).toHaveLength(1);
    expect(client.state).toBe('closed');
    expect(await errorCount('AUTH_FAILED')).toBe(refusalsBefore + 1);
  });

  it('stops with PIPELINE_NOT_FOUND when its pipeline is deleted, without reconnecting', async () => {
    const pipeline = await real.backend.createPipeline({
      name: `deleted while in use ${randomUUID()}`,
      runner: { type: 'echo' },
    });
    const { client, sockets, states, errors } = real.createClient(pipeline.uuid);
    const disconnects: unknown[] = [];
    client.onDisconnected((event) => disconnects.push(event));
    await client.connect();

    const closed = nextState(client, 'closed');
    await real.backend.deletePipeline(pipeline.uuid);
    await closed;

    expect(states.at(-1)).toMatchObject({
      previous: 'connected',
      current: 'closed',
      reason: 'final-close-code',
      closeCode: 4004,
      error: { code: 'PIPELINE_NOT_FOUND', closeCode: 4004 },
    });
    expect(errors.map((error) => [error.code, error.closeCode])).toEqual([
      ['PIPELINE_NOT_FOUND', 4004],
    ]);
    expect(disconnects).toEqual([{ code: 4004, reason: 'pipeline deleted', willReconnect: false }]);
    // No `reconnecting`: no retry was ever scheduled.
    expect(states.some((change) => change.current === 'reconnecting')).toBe(false);
    expect(sockets).toHaveLength(1);
    await expect(client.sendMessage('anyone there?')).rejects.toMatchObject({
      code: 'NOT_CONNECTED',
    });
  });

  it('reconnects by itself across a server restart, resyncs and is answered', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'botwire-client-restart-'));
    const first = await startServerProcess({ dataDir });
    let second: ServerProcess | undefined;
    const session = `restart-${randomUUID()}`;
    // The default reconnect window (120 s) outlasts the restart; autoResync reloads the history.
    const { client, states, messages, resyncs } = real.createClient(first.defaultPipelineUuid, {
      baseUrl: first.url,
      session,
      autoResync: new BackendClient({ baseUrl: first.url, token: ADMIN_KEY }),
    });
    const reloaded = client.once('history');
    try {
      await client.connect();
      const beforeReply = await client.send('before the restart');
      await beforeReply.done;
      const before = beforeReply.message;
      const seqBefore = client.lastSeq ?? 0;
      expect(seqBefore).toBeGreaterThan(0);

      const noticed = nextState(client, 'reconnecting');
      expect(await first.stop()).toBe(0);
      await noticed;
      const reconnected = nextState(client, 'connected');
      const port = new URL(first.url).port;
      second = await startServerProcess({ dataDir, env: { BOTWIRE_PORT: port } });
      expect(second.url).toBe(first.url);
      expect(second.defaultPipelineUuid).toBe(first.defaultPipelineUuid);
      await reconnected;
      // autoResync: after resync_required, the history as the restarted server has it.
      const history = await reloaded;
      expect(resyncs).toHaveLength(1);
      expect(history.messages.map((message) => message.content)).toEqual([
        'before the restart',
        echo('before the restart'),
      ]);

      const dropped = states.findIndex((change) => change.current === 'reconnecting');
      expect(states[dropped]).toMatchObject({
        previous: 'connected',
        reason: 'server-closed',
        closeCode: 1001,
      });
      // Then only failed retries while the server was down, until it accepted again.
      const after = states.slice(dropped);
      expect(after.slice(0, -1).every((change) => change.current === 'reconnecting')).toBe(true);
      expect(after.at(-1)).toMatchObject({ current: 'connected', reason: 'opened' });
      expect(resyncs).toHaveLength(1);
      // Seqs continue above everything handed out before the restart.
      expect(resyncs[0]?.lastSeq).toBeGreaterThan(seqBefore);
      expect(client.lastSeq).toBe(resyncs[0]?.lastSeq);

      const laterReply = await client.send('after the restart');
      expect(laterReply.message.id).toBeGreaterThan(before.id);
      await expect(laterReply.done).resolves.toMatchObject({
        text: echo('after the restart'),
        status: 'complete',
      });
      expect(finalReplies(messages, laterReply.message.id)).toHaveLength(1);
    } finally {
      client.disconnect();
      await second?.[Symbol.asyncDispose]();
      await first[Symbol.asyncDispose]();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
